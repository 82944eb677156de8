package localenv

import (
	"context"
	"strings"
	"testing"
	"time"

	"berth/internal/kube"
	"berth/internal/kube/kubetest"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

const eventsCompose = `services:
  api:
    image: demo/api
  api-gateway:
    image: demo/gw
  db:
    image: postgres:16
`

// eventsSession is a Session on a fake cluster whose event watches the test
// drives: each Watch call hands the test a FakeWatcher on watches.
func eventsSession(t *testing.T, objs ...runtime.Object) (*Session, *fake.Clientset, chan *watch.FakeWatcher) {
	t.Helper()
	l, b := loadBundle(t, eventsCompose, nil)
	cs := fake.NewClientset(objs...)
	watches := make(chan *watch.FakeWatcher, 4)
	cs.PrependWatchReactor("events", func(k8stesting.Action) (bool, watch.Interface, error) {
		w := watch.NewFake()
		watches <- w
		return true, w, nil
	})
	s := &Session{Loaded: l, Bundle: b, Project: b.Project, Namespace: b.Namespace, Pub: NewPublisher(),
		Cluster: &Cluster{Client: kube.NewClientFromParts(kubetest.Typed(cs), nil, kubetest.Mapper(cs.Discovery()))}, started: time.Now().Add(-time.Minute)}
	return s, cs, watches
}

func k8sEvent(ns, uid, kind, name, typ, reason, msg string, count int32, at time.Time) *corev1.Event {
	return &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Namespace: ns, Name: name + "." + uid, UID: types.UID(uid)},
		InvolvedObject: corev1.ObjectReference{Kind: kind, Namespace: ns, Name: name},
		Type:           typ, Reason: reason, Message: msg, Count: count, LastTimestamp: metav1.NewTime(at),
	}
}

func nextEvent(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event published")
	}
	return Event{}
}

func noEvent(t *testing.T, ch <-chan Event) {
	t.Helper()
	select {
	case e := <-ch:
		t.Fatalf("unexpected event %+v", e)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestWatchK8sEventsMapsAndDedupes: listed and watched events reach the
// publisher once per occurrence, mapped to their service, and a reconnect
// (which lists again) publishes nothing twice.
func TestWatchK8sEventsMapsAndDedupes(t *testing.T) {
	now := time.Now()
	ns := "t"
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "odd-name-1", Labels: map[string]string{"app.kubernetes.io/name": "api"}}}
	backoff := k8sEvent(ns, "u1", "Pod", "odd-name-1", "Warning", "BackOff", "Back-off restarting failed container", 3, now)
	s, _, watches := eventsSession(t, pod, backoff,
		k8sEvent(ns, "u2", "ReplicaSet", "api-gateway-5c6d9", "Normal", "SuccessfulCreate", "Created pod: api-gateway-5c6d9-x", 1, now),
		k8sEvent(ns, "u3", "PersistentVolumeClaim", "data-db-0", "Normal", "WaitForFirstConsumer", "waiting", 1, now),
		k8sEvent(ns, "u4", "Namespace", ns, "Warning", "Quota", "quota nearly used", 1, now),
		k8sEvent(ns, "u5", "Pod", "api-1-x", "Warning", "BackOff", "a past run's", 9, now.Add(-time.Hour)),
	)
	if s.Namespace != ns {
		t.Fatalf("namespace %q, want %q", s.Namespace, ns)
	}
	ch, unsubscribe := s.Pub.Subscribe(64)
	defer unsubscribe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := s.k8sWatcher()
	w.retry = 10 * time.Millisecond
	go w.run(ctx)

	got := map[string]Event{}
	for range 4 {
		e := nextEvent(t, ch)
		got[e.Message] = e
	}
	want := map[string]string{
		"Warning BackOff: Back-off restarting failed container (3 times)": "api", // by the pod's label
		"Normal SuccessfulCreate: Created pod: api-gateway-5c6d9-x":       "api-gateway",
		"Normal WaitForFirstConsumer: waiting":                            "db",
		"Warning Quota: quota nearly used":                                "",
	}
	for msg, svc := range want {
		e, ok := got[msg]
		if !ok || e.Service != svc || e.Kind != EventK8s {
			t.Errorf("%q: got %+v, want service %q", msg, e, svc)
		}
	}
	if e := got["Warning BackOff: Back-off restarting failed container (3 times)"]; e.Pod != "odd-name-1" || !e.Time.Equal(backoff.LastTimestamp.Time) {
		t.Errorf("pod event: pod %q time %v", e.Pod, e.Time)
	}

	fw := <-watches
	same := backoff.DeepCopy()
	same.Message = "an update that is not a new occurrence"
	fw.Modify(same)
	again := backoff.DeepCopy()
	again.Count = 4
	fw.Modify(again)
	if e := nextEvent(t, ch); e.Message != "Warning BackOff: Back-off restarting failed container (4 times)" {
		t.Fatalf("repeat: %q", e.Message)
	}
	noEvent(t, ch)

	fw.Stop() // the watch ends: the watcher lists again and watches anew
	fw = <-watches
	noEvent(t, ch)
	fw.Add(k8sEvent(ns, "u6", "Deployment", "api", "Normal", "ScalingReplicaSet", "Scaled up to 1", 1, time.Now()))
	if e := nextEvent(t, ch); e.Service != "api" || !strings.HasPrefix(e.Message, "Normal ScalingReplicaSet") {
		t.Fatalf("after reconnect: %+v", e)
	}
}

func TestServiceMapperByObjectName(t *testing.T) {
	m := serviceMapper{byName: map[string]string{"api-config": "api"}, byDNS: map[string]string{"api": "api", "api-gateway": "api-gateway", "db": "db", "my-db": "my_db"}}
	for name, want := range map[string]string{
		"api":                "api",
		"api-config":         "api",
		"api-7d9f8b-x2k4q":   "api",
		"api-gateway-5c6d9":  "api-gateway",
		"db-0":               "db",
		"data-db-0":          "db",
		"data-my-db-1":       "my_db",
		"apiserver-7d9":      "",
		"coredns-abc":        "",
		"data-db-x":          "",
		"kube-root-ca.crt":   "",
		"api-gateway":        "api-gateway",
		"my-db-6f7b5-abcde":  "my_db",
		"cache-data-api-gw0": "",
	} {
		if got := m.byObjectName(name); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}

func TestPrinterShowsOnlyWarningK8sEvents(t *testing.T) {
	var buf strings.Builder
	p := &Printer{Out: &buf}
	p.Print(Event{Service: "api", Kind: EventK8s, Message: "Normal Pulled: Container image already present"})
	p.Print(Event{Service: "api", Kind: EventK8s, Message: "Warning BackOff: Back-off restarting failed container"})
	if out := buf.String(); strings.Contains(out, "Pulled") || !strings.Contains(out, "api Warning BackOff") {
		t.Fatalf("unexpected output:\n%s", out)
	}
}
