package kube

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// podOwningKinds are workloads whose pods Wait inspects for ProblemReasons.
var podOwningKinds = map[string]bool{"Deployment": true, "StatefulSet": true, "DaemonSet": true, "ReplicaSet": true}

// withPodProblems downgrades a workload's kstatus when one of its pods is
// stuck (crash loop, image missing...). kstatus alone can call a Deployment
// Current in the second its crashing container (without a readiness probe)
// happens to run; the pods say what is really going on.
func (c *Client) withPodProblems(ctx context.Context, u *unstructured.Unstructured, s ObjectStatus) ObjectStatus {
	if !podOwningKinds[u.GetKind()] || s.Status == status.TerminatingStatus {
		return s
	}
	m, found, err := unstructured.NestedMap(u.Object, "spec", "selector")
	if err != nil || !found {
		return s
	}
	var ls metav1.LabelSelector
	if runtime.DefaultUnstructuredConverter.FromUnstructured(m, &ls) != nil {
		return s
	}
	sel, err := metav1.LabelSelectorAsSelector(&ls)
	if err != nil || sel.Empty() {
		return s
	}
	pods, err := c.Typed.CoreV1().Pods(u.GetNamespace()).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return s
	}
	for i := range pods.Items {
		if ps := FindProblems(&pods.Items[i]); len(ps) > 0 {
			s.Status, s.Message = status.FailedStatus, ps[0].String()
			return s
		}
	}
	return s
}
