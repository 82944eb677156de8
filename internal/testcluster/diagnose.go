package testcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// diagnoseOnFailure registers a cleanup that, when t failed, logs what a
// failure on the control plane needs to be understood afterwards (CI keeps
// only the test output): the fake nodes' Ready conditions, whether each
// daemon is still alive, and the tail of the logs of kwok and the
// controller manager. The kubeconfig sits in the script's state directory.
func diagnoseOnFailure(t testing.TB, kubeconfig string) {
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		state := filepath.Dir(kubeconfig)
		t.Logf("testcluster: control plane diagnostics (state %s)\n%s\n%s\n%s\n%s", state,
			nodeConditions(kubeconfig), daemonsAlive(state),
			logTail(filepath.Join(state, "logs", "kwok.log"), 25),
			logTail(filepath.Join(state, "logs", "kube-controller-manager.log"), 25))
	})
}

func nodeConditions(kubeconfig string) string {
	cs, err := clientsetFor(kubeconfig)
	if err != nil {
		return "nodes: " + err.Error()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return "nodes: " + err.Error()
	}
	var b strings.Builder
	for _, n := range nodes.Items {
		for _, c := range n.Status.Conditions {
			if c.Type == "Ready" {
				fmt.Fprintf(&b, "node %s Ready=%s since %s (%s: %s)\n", n.Name, c.Status, c.LastTransitionTime.Format(time.TimeOnly), c.Reason, c.Message)
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// daemonsAlive reads the script's pids file ("name pid" lines).
func daemonsAlive(state string) string {
	data, err := os.ReadFile(filepath.Join(state, "pids"))
	if err != nil {
		return "pids: " + err.Error()
	}
	var parts []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		name, pid, _ := strings.Cut(line, " ")
		alive := "dead"
		if _, err := os.Stat(filepath.Join("/proc", pid)); err == nil {
			alive = "alive"
		}
		parts = append(parts, name+" "+alive)
	}
	return "daemons: " + strings.Join(parts, ", ")
}

func logTail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return path + ": " + err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "--- last lines of " + path + "\n" + strings.Join(lines, "\n")
}
