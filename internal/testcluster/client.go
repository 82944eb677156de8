package testcluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// Clientset returns a typed client for the kubeconfig at path.
func Clientset(t testing.TB, path string) kubernetes.Interface {
	t.Helper()
	cs, err := clientsetFor(path)
	if err != nil {
		t.Fatalf("testcluster: %v", err)
	}
	return cs
}

func clientsetFor(path string) (kubernetes.Interface, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", path)
	if err != nil {
		return nil, fmt.Errorf("load kubeconfig %s: %w", path, err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("clientset: %w", err)
	}
	return cs, nil
}

// waitAPI polls /readyz and the default ServiceAccount (pods cannot be
// created before it exists) until both answer or timeout passes.
func waitAPI(path string, timeout time.Duration) error {
	cs, err := clientsetFor(path)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var last error
	for {
		_, last = cs.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if last == nil {
			_, last = cs.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		}
		if last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
		case <-time.After(time.Second):
		}
	}
}

// Namespace creates a fresh namespace named prefix-<random> in the cluster
// of kubeconfig, waits until pods can be created in it (its default
// ServiceAccount exists) and deletes it when the test ends.
func Namespace(t testing.TB, kubeconfig, prefix string) string {
	t.Helper()
	cs := Clientset(t, kubeconfig)
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	name := strings.ToLower(prefix) + "-" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"berth.dev/test": "true"}}}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("testcluster: create namespace %s: %v", name, err)
	}
	t.Cleanup(func() {
		// Background deletion: the next test need not wait for it.
		err := cs.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			t.Logf("testcluster: delete namespace %s: %v", name, err)
		}
	})
	for {
		_, err := cs.CoreV1().ServiceAccounts(name).Get(ctx, "default", metav1.GetOptions{})
		if err == nil {
			return name
		}
		select {
		case <-ctx.Done():
			t.Fatalf("testcluster: namespace %s has no default ServiceAccount: %v", name, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
