package kube

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// EnsureNamespace creates the namespace when it does not exist (with the
// given labels) and reports whether it created it. An existing namespace is
// left as it is. Namespaced dry runs fail without their namespace, so a plan
// against a fresh cluster calls this first.
func (c *Client) EnsureNamespace(ctx context.Context, name string, labels map[string]string) (bool, error) {
	_, err := c.Typed.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if err == nil {
		return false, nil
	}
	if !apierrors.IsNotFound(err) {
		return false, fmt.Errorf("get namespace %s: %w", name, err)
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
	_, err = c.Typed.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{FieldManager: FieldManager})
	if apierrors.IsAlreadyExists(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create namespace %s: %w", name, err)
	}
	return true, nil
}

// NamespaceExists reports whether the namespace exists and is not being deleted.
func (c *Client) NamespaceExists(ctx context.Context, name string) (bool, error) {
	ns, err := c.Typed.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("get namespace %s: %w", name, err)
	}
	return ns.DeletionTimestamp == nil, nil
}
