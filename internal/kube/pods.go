package kube

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ReadyPod returns the newest pod matching selector in ns that is Ready and
// not terminating (during a rollout that is the new version), or an error
// wrapping ErrNoReadyPod.
func (c *Client) ReadyPod(ctx context.Context, ns, selector string) (*corev1.Pod, error) {
	pods, err := c.Typed.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, fmt.Errorf("list pods %q in %s: %w", selector, ns, err)
	}
	var best *corev1.Pod
	for i := range pods.Items {
		p := &pods.Items[i]
		if !IsPodReady(p) {
			continue
		}
		if best == nil || best.CreationTimestamp.Before(&p.CreationTimestamp) {
			best = p
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%w: selector %q in namespace %s (%d pods)", ErrNoReadyPod, selector, ns, len(pods.Items))
	}
	return best, nil
}

// IsPodReady: running, Ready condition true, and not being deleted.
func IsPodReady(p *corev1.Pod) bool {
	if p.DeletionTimestamp != nil || p.Status.Phase != corev1.PodRunning {
		return false
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
