package kube

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func TestSplitTimestamp(t *testing.T) {
	ts, line := splitTimestamp("2026-11-23T22:45:55.123456789Z GET / 200")
	if line != "GET / 200" || ts.Nanosecond() != 123456789 || ts.Year() != 2026 {
		t.Fatalf("got %v %q", ts, line)
	}
	ts, line = splitTimestamp("no timestamp here")
	if !ts.IsZero() || line != "no timestamp here" {
		t.Fatalf("got %v %q", ts, line)
	}
}

func TestStreamLogsReadsEveryStartedContainer(t *testing.T) {
	// crashingPod has a waiting "web" container (no log yet, skipped), a
	// running sidecar, and a waiting init container (skipped).
	c := fakeClient(t, readyPodWithContainers("web-1"), crashingPod("web-2", time.Now()))
	var got []string
	err := c.StreamLogs(context.Background(), "shop", "app=web", LogOptions{TailLines: 5}, func(l LogLine) {
		got = append(got, l.Pod+"/"+l.Container+": "+l.Line)
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	want := "web-1/a: fake logs|web-1/b: fake logs|web-2/sidecar: fake logs"
	if strings.Join(got, "|") != want {
		t.Fatalf("got %q, want %q", strings.Join(got, "|"), want)
	}
}

func readyPodWithContainers(name string) *corev1.Pod {
	p := readyPod(name, time.Now())
	p.Status.InitContainerStatuses = nil
	p.Status.ContainerStatuses = []corev1.ContainerStatus{
		{Name: "a", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}},
		{Name: "b", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0}}},
	}
	return p
}
