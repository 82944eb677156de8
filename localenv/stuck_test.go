package localenv

import (
	"context"
	"strings"
	"testing"

	"berth/convert"
	"berth/internal/kube"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
)

// TestApplyReplacesStuckStatefulSetPod: after an apply, a StatefulSet pod
// left unready under the previous revision is deleted, and the event names
// the compose service and the pod.
func TestApplyReplacesStuckStatefulSetPod(t *testing.T) {
	yes := true
	sts := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "stuck", UID: types.UID("sts-uid"), Generation: 2},
		Spec:       appsv1.StatefulSetSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}}},
		Status:     appsv1.StatefulSetStatus{ObservedGeneration: 2, CurrentRevision: "db-old", UpdateRevision: "db-new"},
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "db-0", Namespace: "stuck", UID: types.UID("pod-uid"),
		Labels:          map[string]string{"app": "db", appsv1.ControllerRevisionHashLabelKey: "db-old"},
		OwnerReferences: []metav1.OwnerReference{{Kind: "StatefulSet", Name: "db", UID: "sts-uid", Controller: &yes}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning}}
	s, cs, _ := eventsSession(t, sts, pod)
	s.Namespace = "stuck"
	events, stop := s.Pub.Subscribe(8)
	defer stop()
	applied := &unstructured.Unstructured{}
	applied.SetAnnotations(map[string]string{convert.AnnotationService: "db"})
	ref := kube.ObjectRef{Kind: "StatefulSet", Namespace: "stuck", Name: "db"}
	// just created: it cannot have pods of an earlier template, nothing is read
	s.replaceStuckPods(context.Background(), []kube.ApplyResult{{Ref: ref, Action: kube.Created, Object: applied}})
	if _, err := cs.CoreV1().Pods("stuck").Get(context.Background(), "db-0", metav1.GetOptions{}); err != nil {
		t.Fatalf("a pod of a StatefulSet created by this apply was deleted: %v", err)
	}
	s.replaceStuckPods(context.Background(), []kube.ApplyResult{
		{Ref: kube.ObjectRef{Kind: "Deployment", Name: "api"}, Action: kube.Configured, Object: &unstructured.Unstructured{}},
		{Ref: ref, Action: kube.Configured, Object: applied},
	})
	if _, err := cs.CoreV1().Pods("stuck").Get(context.Background(), "db-0", metav1.GetOptions{}); err == nil {
		t.Fatal("the stuck pod is still there")
	}
	select {
	case e := <-events:
		if e.Kind != EventRollout || !strings.Contains(e.Message, "replacing pod db-0") {
			t.Fatalf("event %+v", e)
		}
	default:
		t.Fatal("no event")
	}
}
