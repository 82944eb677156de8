package testcluster

import (
	"context"
	"os"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestKubeconfigReachesCluster(t *testing.T) {
	path := Kubeconfig(t)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("kubeconfig %s: %v", path, err)
	}
	if again := Kubeconfig(t); again != path {
		t.Fatalf("second call returned %q, want %q", again, path)
	}
	cs := Clientset(t, path)
	nodes, err := cs.CoreV1().Nodes().List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatalf("list nodes: %v", err)
	}
	if len(nodes.Items) == 0 {
		t.Fatal("cluster has no nodes")
	}
	ns := Namespace(t, path, "tc")
	if _, err := cs.CoreV1().ServiceAccounts(ns).Get(context.Background(), "default", metav1.GetOptions{}); err != nil {
		t.Fatalf("namespace %s not usable: %v", ns, err)
	}
}

func TestLockFileIsExclusive(t *testing.T) {
	path := t.TempDir() + "/lock"
	unlock, err := lockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		u2, err := lockFile(path)
		if err == nil {
			u2()
		}
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("second lock acquired while the first was held")
	case <-time.After(300 * time.Millisecond):
	}
	unlock()
	<-got
}
