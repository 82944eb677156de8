package kube

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ReplaceStuckPods deletes the pods of StatefulSet ns/name that run an
// earlier revision of its template and are not ready, so that the
// StatefulSet controller recreates them from the current one. Kubernetes
// replaces no pod of an OrderedReady StatefulSet while one of them is not
// ready, so a pod that never got ready under a broken template would block
// the fixed template forever (the "forced rollback" of the StatefulSet
// documentation). It first waits up to wait for the controller to observe
// the StatefulSet's generation, and returns the names of the pods deleted.
// Pods below a rolling update's partition and OnDelete StatefulSets are
// left alone: there the old revision is what the user asked for.
func (c *Client) ReplaceStuckPods(ctx context.Context, ns, name string, wait time.Duration) ([]string, error) {
	sts, err := c.observedStatefulSet(ctx, ns, name, wait)
	if sts == nil || err != nil {
		return nil, err
	}
	update := sts.Status.UpdateRevision
	if update == "" || update == sts.Status.CurrentRevision || sts.Spec.UpdateStrategy.Type == appsv1.OnDeleteStatefulSetStrategyType {
		return nil, nil
	}
	sel, err := metav1.LabelSelectorAsSelector(sts.Spec.Selector)
	if err != nil {
		return nil, fmt.Errorf("StatefulSet %s selector: %w", name, err)
	}
	pods, err := c.Typed.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return nil, fmt.Errorf("pods of StatefulSet %s: %w", name, err)
	}
	var deleted []string
	for i := range pods.Items {
		p := &pods.Items[i]
		if !stuckUnder(p, sts, update) {
			continue
		}
		// The UID precondition spares a replacement created meanwhile.
		err := c.Typed.CoreV1().Pods(ns).Delete(ctx, p.Name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &p.UID}})
		switch {
		case err == nil:
			deleted = append(deleted, p.Name)
		case !apierrors.IsNotFound(err) && !apierrors.IsConflict(err):
			return deleted, fmt.Errorf("delete pod %s: %w", p.Name, err)
		}
	}
	return deleted, nil
}

// observedStatefulSet reads the StatefulSet once its controller has seen
// its latest generation; nil when it does not exist or is not seen in time.
func (c *Client) observedStatefulSet(ctx context.Context, ns, name string, wait time.Duration) (*appsv1.StatefulSet, error) {
	deadline := time.Now().Add(wait)
	for {
		sts, err := c.Typed.AppsV1().StatefulSets(ns).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("StatefulSet %s: %w", name, err)
		}
		if sts.Status.ObservedGeneration >= sts.Generation {
			return sts, nil
		}
		if time.Now().After(deadline) {
			return nil, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stuckUnder: p belongs to sts, runs a revision other than update, is not
// ready and is not already going away, and sits at or above the partition.
func stuckUnder(p *corev1.Pod, sts *appsv1.StatefulSet, update string) bool {
	owner := metav1.GetControllerOf(p)
	if owner == nil || owner.UID != sts.UID || p.DeletionTimestamp != nil || IsPodReady(p) {
		return false
	}
	if p.Labels[appsv1.ControllerRevisionHashLabelKey] == update {
		return false
	}
	if ru := sts.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		return ordinalOf(p.Name, sts.Name) >= int(*ru.Partition)
	}
	return true
}

// ordinalOf is the ordinal of StatefulSet pod "<set>-<n>", -1 when the name
// has another shape.
func ordinalOf(pod, set string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(pod, set+"-"))
	if err != nil || !strings.HasPrefix(pod, set+"-") {
		return -1
	}
	return n
}
