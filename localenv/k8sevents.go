package localenv

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"berth/convert"
	"berth/internal/kube/typed"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
)

// Kubernetes events (FailedScheduling, ErrImagePull, BackOff, Unhealthy...)
// say why a service is not ready long before a timeout does. WatchK8sEvents
// republishes those of the project's namespace as EventK8s, each occurrence
// once, for the dashboard's event lists, the store and the terminal.

const (
	// k8sBacklog is how far back events are shown by a session that did
	// not start the run itself (`berth ui`, the --detach process), so the
	// hand-over from `up` loses nothing; older ones belong to past runs.
	k8sBacklog = 2 * time.Minute
	// k8sRetryMax bounds the wait before reopening a watch that failed.
	k8sRetryMax = 30 * time.Second
	// k8sPodsCached bounds the pod → service cache.
	k8sPodsCached = 1024
)

// WatchK8sEvents publishes the Kubernetes events of the project's namespace
// until ctx ends, reopening the watch whenever it ends or fails.
func (s *Session) WatchK8sEvents(ctx context.Context) {
	if s.Cluster == nil || s.Cluster.Client == nil {
		return // nothing to watch before Connect
	}
	s.k8sWatcher().run(ctx)
}

func (s *Session) k8sWatcher() *k8sWatcher {
	since := s.started
	if since.IsZero() {
		since = time.Now().Add(-k8sBacklog)
	}
	core := s.Cluster.Client.Typed.CoreV1()
	return &k8sWatcher{
		events: core.Events(s.Namespace), pods: core.Pods(s.Namespace), pub: s.Pub,
		mapper: s.serviceMapper, since: since, retry: time.Second,
		seen: map[types.UID]int32{}, podSvc: map[string]string{},
	}
}

// k8sWatcher lists then watches one namespace's events. It is used from one
// goroutine only.
type k8sWatcher struct {
	events typed.Resource[*corev1.Event, *corev1.EventList]
	pods   typed.Pods
	pub    *Publisher
	mapper func() serviceMapper // built afresh: a reload may add services
	since  time.Time            // events last seen before this are not published
	retry  time.Duration        // first wait before reopening the watch

	seen   map[types.UID]int32 // event → highest occurrence count published
	podSvc map[string]string   // pod name → service, read from its labels
}

func (w *k8sWatcher) run(ctx context.Context) {
	delay := w.retry
	for {
		err := w.once(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			delay = w.retry // the watch ended as watches do: reopen soon
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		if err != nil {
			delay = min(delay*2, k8sRetryMax)
		}
	}
}

// once lists the events (catching up on what happened while no watch was
// open; the dedupe drops what was published already), then watches from
// the list's version until the watch ends.
func (w *k8sWatcher) once(ctx context.Context) error {
	list, err := w.events.List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	listed := make(map[types.UID]bool, len(list.Items))
	for i := range list.Items {
		listed[list.Items[i].UID] = true
		w.handle(ctx, &list.Items[i])
	}
	for uid := range w.seen { // expired events: keep the map as small as the namespace's events
		if !listed[uid] {
			delete(w.seen, uid)
		}
	}
	wi, err := w.events.Watch(ctx, metav1.ListOptions{ResourceVersion: list.ResourceVersion})
	if err != nil {
		return err
	}
	defer wi.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-wi.ResultChan():
			if !ok {
				return nil
			}
			if err := w.apply(ctx, ev); err != nil {
				return err
			}
		}
	}
}

func (w *k8sWatcher) apply(ctx context.Context, ev watch.Event) error {
	switch ev.Type {
	case watch.Error: // e.g. 410 Gone: the version expired, relist
		return apierrors.FromObject(ev.Object)
	case watch.Added, watch.Modified:
		if e, ok := ev.Object.(*corev1.Event); ok {
			w.handle(ctx, e)
		}
	case watch.Deleted:
		if e, ok := ev.Object.(*corev1.Event); ok {
			delete(w.seen, e.UID)
		}
	}
	return nil
}

// handle publishes an event unless this occurrence of it was published.
// A repeated event (count 2, 3...) is the same object updated, so UID and
// count together name one occurrence.
func (w *k8sWatcher) handle(ctx context.Context, e *corev1.Event) {
	n := occurrences(e)
	if n <= w.seen[e.UID] {
		return
	}
	w.seen[e.UID] = n
	at := lastSeen(e)
	if at.Before(w.since) {
		return
	}
	out := Event{Time: at, Service: w.service(ctx, e.InvolvedObject), Kind: EventK8s, Message: k8sMessage(e, n)}
	if e.InvolvedObject.Kind == "Pod" {
		out.Pod = e.InvolvedObject.Name
	}
	w.pub.Publish(out)
}

// service maps the object an event is about to its compose service: a pod
// by its app.kubernetes.io/name label (its name is generated), anything
// else, or a pod already gone, by name; "" for the namespace itself.
func (w *k8sWatcher) service(ctx context.Context, ref corev1.ObjectReference) string {
	m := w.mapper()
	if ref.Kind == "Pod" {
		if svc, ok := w.podService(ctx, m, ref.Name); ok {
			return svc
		}
	}
	if ref.Kind == "Namespace" {
		return ""
	}
	return m.byObjectName(ref.Name)
}

func (w *k8sWatcher) podService(ctx context.Context, m serviceMapper, pod string) (string, bool) {
	if svc, ok := w.podSvc[pod]; ok {
		return svc, true
	}
	p, err := w.pods.Get(ctx, pod, metav1.GetOptions{})
	if err != nil {
		return "", false
	}
	svc, ok := m.byDNS[p.Labels[convert.LabelName]]
	if !ok {
		return "", false
	}
	if len(w.podSvc) >= k8sPodsCached {
		clear(w.podSvc)
	}
	w.podSvc[pod] = svc
	return svc, true
}

func occurrences(e *corev1.Event) int32 {
	n := e.Count
	if e.Series != nil && e.Series.Count > n { // events.k8s.io writers count here
		n = e.Series.Count
	}
	return max(n, 1)
}

func lastSeen(e *corev1.Event) time.Time {
	switch {
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		return e.Series.LastObservedTime.Time
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	}
	return e.CreationTimestamp.Time
}

// k8sMessage reads like kubectl's event list: "Warning BackOff: Back-off
// restarting failed container".
func k8sMessage(e *corev1.Event, n int32) string {
	typ := e.Type
	if typ == "" {
		typ = corev1.EventTypeNormal
	}
	msg := fmt.Sprintf("%s %s: %s", typ, e.Reason, strings.TrimSpace(e.Message))
	if n > 1 {
		msg += fmt.Sprintf(" (%d times)", n)
	}
	return msg
}

// serviceMapper names the compose service of a Kubernetes object.
type serviceMapper struct {
	byName map[string]string // name of an object of the bundle → its service
	byDNS  map[string]string // app.kubernetes.io/name (the DNS name) → service
}

func (s *Session) serviceMapper() serviceMapper {
	loaded, b := s.View()
	m := serviceMapper{byName: map[string]string{}, byDNS: map[string]string{}}
	for name := range loaded.Project.Services {
		m.byDNS[convert.DNSName(name)] = name
	}
	for _, o := range b.Objects {
		m.byName[o.GetName()] = serviceOf(o.GetAnnotations())
	}
	return m
}

// byObjectName maps objects the cluster names after a workload: a
// ReplicaSet or pod "api-7d9f8b-x2k4q", or a StatefulSet claim "data-db-0".
// The longest matching service name wins, so api-gateway's are not api's.
func (m serviceMapper) byObjectName(name string) string {
	if svc, ok := m.byName[name]; ok {
		return svc
	}
	if svc := m.longest(func(dns string) bool { return name == dns || strings.HasPrefix(name, dns+"-") }); svc != "" {
		return svc
	}
	i := strings.LastIndexByte(name, '-')
	if i <= 0 {
		return ""
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return ""
	}
	return m.longest(func(dns string) bool { return strings.HasSuffix(name[:i], "-"+dns) })
}

// longest returns the service with the longest DNS name that matches.
func (m serviceMapper) longest(match func(dns string) bool) string {
	best := ""
	for dns := range m.byDNS {
		if len(dns) > len(best) && match(dns) {
			best = dns
		}
	}
	return m.byDNS[best]
}
