package localenv

import (
	"context"
	"errors"
	"sort"

	"berth/convert"
	"berth/internal/kube"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// errNoCluster is what Status says before `up` has reached the cluster.
var errNoCluster = errors.New("not connected to a cluster yet")

// Status reads the state of every service from the cluster.
func (s *Session) Status(ctx context.Context) ([]ServiceStatus, error) {
	if s.Cluster == nil {
		return nil, errNoCluster
	}
	pods, err := s.Cluster.Client.Typed.CoreV1().Pods(s.Namespace).List(ctx, metav1.ListOptions{LabelSelector: convert.LabelPartOf + "=" + s.Project})
	if err != nil {
		return nil, err
	}
	var out []ServiceStatus
	for _, w := range s.workloads() {
		obj := w.(convert.Object)
		st := s.baseStatus(serviceOf(obj.GetAnnotations()))
		st.Image = firstImage(w)
		ks := s.Cluster.Client.Status(ctx, kube.ObjectRef{Kind: convert.Kind(obj), Namespace: s.Namespace, Name: obj.GetName(),
			Group: obj.GetObjectKind().GroupVersionKind().Group, Version: obj.GetObjectKind().GroupVersionKind().Version})
		st.State, st.Reason = stateOf(ks)
		countPods(&st, pods.Items, convert.DNSName(st.Service))
		if n, ok := desiredReplicas(w); ok {
			st.Desired = n // what is asked for, not how many pods exist (mid-rollout there are more)
		}
		if problems := podProblems(pods.Items, convert.DNSName(st.Service)); problems != "" {
			st.State, st.Reason = StateCrashLoop, problems
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Service < out[j].Service })
	return out, nil
}

// baseStatus is what the compose project and its conversion say about a
// service, before any reading of the cluster: image, published URLs and
// what it waits on.
func (s *Session) baseStatus(svc string) ServiceStatus {
	loaded, b := s.View()
	st := ServiceStatus{Service: svc, DependsOn: sortedKeys(loaded.Project.Services[svc].DependsOn)}
	for _, o := range b.Objects {
		if convert.IsWorkloadKind(convert.Kind(o)) && serviceOf(o.GetAnnotations()) == svc {
			st.Image = firstImage(o)
			break
		}
	}
	for _, p := range b.Ports {
		if p.Service == svc {
			st.URLs = append(st.URLs, portURL(p))
		}
	}
	return st
}

func stateOf(ks kube.ObjectStatus) (ServiceState, string) {
	switch ks.Status {
	case status.CurrentStatus:
		return StateReady, ""
	case status.NotFoundStatus:
		return StateStopped, "not running"
	case status.FailedStatus:
		return StateFailing, ks.Message
	}
	return StateStarting, ks.Message
}

func countPods(st *ServiceStatus, pods []corev1.Pod, name string) {
	for _, p := range pods {
		if p.Labels[convert.LabelName] != name || p.DeletionTimestamp != nil {
			continue
		}
		st.Desired++
		if kube.IsPodReady(&p) {
			st.Ready++
		}
		for _, c := range p.Spec.Containers {
			if c.Name == name {
				st.Image = c.Image // what runs, with the tag of the last build
			}
		}
		for _, cs := range p.Status.ContainerStatuses {
			st.Restarts += cs.RestartCount
		}
	}
}

// desiredReplicas is the replica count a workload asks for; false for kinds
// without one (a Job, a DaemonSet), whose pods are what they are.
func desiredReplicas(o runtime.Object) (int32, bool) {
	var n *int32
	switch w := o.(type) {
	case *appsv1.Deployment:
		n = w.Spec.Replicas
	case *appsv1.StatefulSet:
		n = w.Spec.Replicas
	default:
		return 0, false
	}
	if n == nil {
		return 1, true // the API server's default
	}
	return *n, true
}

// podProblems names what keeps a service's pods from running (e.g.
// CrashLoopBackOff), "" when nothing does.
func podProblems(pods []corev1.Pod, name string) string {
	for i := range pods {
		if pods[i].Labels[convert.LabelName] != name {
			continue
		}
		for _, p := range kube.FindProblems(&pods[i]) {
			return p.Reason
		}
	}
	return ""
}

// firstImage returns the image of a workload's first container.
func firstImage(o runtime.Object) string {
	var spec *corev1.PodSpec
	switch w := o.(type) {
	case *appsv1.Deployment:
		spec = &w.Spec.Template.Spec
	case *appsv1.StatefulSet:
		spec = &w.Spec.Template.Spec
	case *appsv1.DaemonSet:
		spec = &w.Spec.Template.Spec
	case *batchv1.Job:
		spec = &w.Spec.Template.Spec
	}
	if spec == nil || len(spec.Containers) == 0 {
		return ""
	}
	return spec.Containers[0].Image
}
