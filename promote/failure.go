package promote

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"berth/internal/kube"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// RolloutError says which workloads did not become ready, and why as far as
// the cluster tells: stuck containers with their last log lines, pods that run
// but are not ready, and warning events.
type RolloutError struct {
	Pending []kube.ObjectStatus
	After   time.Duration
	Details []string
}

func (e *RolloutError) Error() string {
	names := make([]string, 0, len(e.Pending))
	for _, s := range e.Pending {
		n := fmt.Sprintf("%s/%s %s", s.Ref.Kind, s.Ref.Name, s.Status)
		if s.Message != "" {
			n += " (" + s.Message + ")"
		}
		names = append(names, n)
	}
	msg := fmt.Sprintf("not ready after %s: %s", e.After, strings.Join(names, "; "))
	if len(e.Details) > 0 {
		msg += "\n    " + strings.Join(e.Details, "\n    ")
	}
	return msg
}

const logTail = 10

// explain gathers what the cluster says about the pods of pending workloads.
func explain(ctx context.Context, c *kube.Client, ns string, pending []kube.ObjectStatus) []string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var out []string
	for _, s := range pending {
		sel := workloadSelector(ctx, c, s.Ref)
		if sel == "" {
			continue
		}
		problems, _ := c.PodProblems(ctx, ns, sel, logTail)
		for _, pr := range problems {
			out = append(out, pr.String())
			for _, l := range pr.Logs {
				out = append(out, "  | "+l)
			}
		}
		out = append(out, notReadyPods(ctx, c, ns, sel)...)
		out = append(out, warningEvents(ctx, c, ns, s.Ref.Name)...)
	}
	return out
}

// workloadSelector reads the pod selector of a live workload.
func workloadSelector(ctx context.Context, c *kube.Client, ref kube.ObjectRef) string {
	var sel *metav1.LabelSelector
	apps := c.Typed.AppsV1()
	switch ref.Kind {
	case "Deployment":
		if d, err := apps.Deployments(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{}); err == nil {
			sel = d.Spec.Selector
		}
	case "StatefulSet":
		if d, err := apps.StatefulSets(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{}); err == nil {
			sel = d.Spec.Selector
		}
	case "DaemonSet":
		if d, err := apps.DaemonSets(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{}); err == nil {
			sel = d.Spec.Selector
		}
	case "Job":
		if d, err := c.Typed.BatchV1().Jobs(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{}); err == nil {
			sel = d.Spec.Selector
		}
	}
	if sel == nil {
		return ""
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil || s.Empty() {
		return ""
	}
	return s.String()
}

// notReadyPods describes pods that run but are not ready (a failing readiness
// probe looks like this), newest first, at most three.
func notReadyPods(ctx context.Context, c *kube.Client, ns, sel string) []string {
	pods, err := c.Typed.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: sel})
	if err != nil {
		return nil
	}
	items := pods.Items
	sort.Slice(items, func(i, j int) bool { return items[j].CreationTimestamp.Before(&items[i].CreationTimestamp) })
	var out []string
	for i := range items {
		pod := &items[i]
		cond := readyCondition(pod)
		if cond == nil || cond.Status == corev1.ConditionTrue || pod.DeletionTimestamp != nil {
			continue
		}
		line := fmt.Sprintf("pod %s: %s, not ready", pod.Name, pod.Status.Phase)
		if why := strings.TrimSpace(cond.Reason + " " + cond.Message); why != "" {
			line += " (" + why + ")"
		}
		out = append(out, line)
		if len(out) == 3 {
			break
		}
	}
	return out
}

func readyCondition(pod *corev1.Pod) *corev1.PodCondition {
	for i := range pod.Status.Conditions {
		if pod.Status.Conditions[i].Type == corev1.PodReady {
			return &pod.Status.Conditions[i]
		}
	}
	return nil
}

// warningEvents are the last warning events about a workload and its
// ReplicaSets and pods (their names start with the workload's).
func warningEvents(ctx context.Context, c *kube.Client, ns, name string) []string {
	evs, err := c.Typed.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: labels.Set{"type": corev1.EventTypeWarning}.AsSelector().String()})
	if err != nil {
		return nil
	}
	items := evs.Items
	sort.Slice(items, func(i, j int) bool { return items[i].LastTimestamp.Before(&items[j].LastTimestamp) })
	var out []string
	for _, e := range items {
		if strings.HasPrefix(e.InvolvedObject.Name, name) {
			out = append(out, fmt.Sprintf("event %s %s/%s: %s: %s", e.Type, e.InvolvedObject.Kind, e.InvolvedObject.Name, e.Reason, e.Message))
		}
	}
	if len(out) > 5 {
		out = out[len(out)-5:]
	}
	return out
}
