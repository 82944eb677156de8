package kube

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func httpGet(url string) (string, error) {
	cl := &http.Client{Timeout: 10 * time.Second}
	resp, err := cl.Get(url)
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// getEventually retries until the body contains want or the deadline passes.
func getEventually(t *testing.T, url, want string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	var body string
	var err error
	for time.Since(start) < within {
		body, err = httpGet(url)
		if err == nil && strings.Contains(body, want) {
			return time.Since(start)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("GET %s: want %q within %s, last body %q err %v", url, want, within, body, err)
	return 0
}

func TestClusterPortForwardLogsExec(t *testing.T) {
	c, ns := clusterClient(t, "kube-pf")
	applyAndWait(t, c, webApp(ns, "web", "hello from berth\n", "1"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// Follow logs from the start, so the request below shows up.
	var mu sync.Mutex
	var lines []LogLine
	logsDone := make(chan error, 1)
	go func() {
		logsDone <- c.StreamLogs(ctx, ns, "app=web", LogOptions{Follow: true}, func(l LogLine) {
			mu.Lock()
			lines = append(lines, l)
			mu.Unlock()
		})
	}()

	port := freePort(t)
	ready := make(chan struct{})
	pfDone := make(chan error, 1)
	go func() { pfDone <- c.PortForward(ctx, ns, "app=web", port, 8080, ready) }()
	<-ready
	url := fmt.Sprintf("http://127.0.0.1:%d/index.html", port)
	t.Logf("first response through port-forward after %s", getEventually(t, url, "hello from berth", 30*time.Second))
	if err := c.PortForward(ctx, ns, "app=web", port, 8080, nil); !errors.Is(err, ErrPortInUse) {
		t.Fatalf("second forward on the same port: %v, want ErrPortInUse", err)
	}

	waitForLine(t, &mu, &lines, "", "url:/index.html")
	waitForLine(t, &mu, &lines, "", "started version 1")

	// The pod goes away: the same local port must reach the replacement.
	old, err := c.ReadyPod(ctx, ns, "app=web")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Typed.CoreV1().Pods(ns).Delete(ctx, old.Name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	now := waitNewReadyPod(t, c, ns, old.Name)
	took := getEventually(t, url, "hello from berth", 30*time.Second)
	t.Logf("port-forward answered %s after the replacement pod %s was Ready", took, now)
	// The request must have been served by the new pod (the old one is gone),
	// and the log stream must have followed the new pod to see it.
	waitForLine(t, &mu, &lines, now, "url:/index.html")

	var out, errOut bytes.Buffer
	if err := c.Exec(ctx, ns, now, "web", []string{"cat", "/www/index.html"}, ExecOptions{Stdout: &out, Stderr: &errOut}); err != nil {
		t.Fatalf("exec: %v (stderr %q)", err, errOut.String())
	}
	if out.String() != "hello from berth\n" {
		t.Fatalf("exec stdout %q", out.String())
	}
	if err := c.Exec(ctx, ns, now, "web", []string{"sh", "-c", "exit 7"}, ExecOptions{Stdout: &out}); err == nil {
		t.Fatal("exit 7 reported as success")
	}

	cancel()
	if err := <-pfDone; err != nil {
		t.Fatalf("port-forward ended with %v", err)
	}
	if err := <-logsDone; err != nil {
		t.Fatalf("logs ended with %v", err)
	}
}

// waitNewReadyPod waits until a Ready pod other than old serves app=web.
func waitNewReadyPod(t *testing.T, c *Client, ns, old string) string {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		p, err := c.ReadyPod(context.Background(), ns, "app=web")
		if err == nil && p.Name != old {
			return p.Name
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no new Ready pod replaced %s", old)
	return ""
}

// waitForLine waits until a collected line of pod ("" for any) contains want.
func waitForLine(t *testing.T, mu *sync.Mutex, lines *[]LogLine, pod, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		for _, l := range *lines {
			if strings.Contains(l.Line, want) && (pod == "" || l.Pod == pod) {
				mu.Unlock()
				return
			}
		}
		mu.Unlock()
		time.Sleep(100 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	t.Fatalf("no log line with %q; have %+v", want, *lines)
}

func TestClusterLogsTail(t *testing.T) {
	c, ns := clusterClient(t, "kube-logs")
	applyAndWait(t, c, webApp(ns, "web", "x\n", "42"))
	var got []LogLine
	err := c.StreamLogs(context.Background(), ns, "app=web", LogOptions{TailLines: 1, Timestamps: true}, func(l LogLine) { got = append(got, l) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !strings.HasSuffix(got[0].Line, "started version 42") || got[0].Time.IsZero() || got[0].Container != "web" {
		t.Fatalf("lines %+v", got)
	}
	if !strings.HasPrefix(got[0].Line, got[0].Time.Format(time.RFC3339Nano)) {
		t.Fatalf("Timestamps: line %q lacks its timestamp prefix", got[0].Line)
	}
}
