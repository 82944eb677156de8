package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"berth/internal/testcluster"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The end-to-end tests run the real berth binary against the shared kind
// cluster (internal/testcluster): they skip without Docker and the node
// image, and fail instead when BERTH_E2E=1.

const testCluster = "berth-test"

func buildBerth(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "berth")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// berth runs the binary and returns its combined output.
func berth(t *testing.T, bin string, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	t.Logf("berth %s (%v):\n%s", strings.Join(args, " "), err, tailLines(out.String(), 40))
	return out.String(), err
}

func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// copyDemo copies examples/demo into a temporary directory, so the test can
// edit its sources.
func copyDemo(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "demo")
	out, err := exec.Command("cp", "-a", "../../examples/demo", dst).CombinedOutput()
	if err != nil {
		t.Fatalf("copy demo: %v %s", err, out)
	}
	return dst
}

type visitsReply struct {
	Message string `json:"message"`
	Visits  int    `json:"visits"`
}

func getVisits(t *testing.T, url string) (visitsReply, error) {
	t.Helper()
	var r visitsReply
	resp, err := http.Get(url)
	if err != nil {
		return r, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return r, fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	return r, json.Unmarshal(body, &r)
}

func TestUpDemoEndToEnd(t *testing.T) {
	kubeconfig := testcluster.Kubeconfig(t)
	bin := buildBerth(t)
	dir := copyDemo(t)
	state := t.TempDir()
	env := []string{"XDG_STATE_HOME=" + state}
	compose := filepath.Join(dir, "compose.yaml")
	common := []string{"-f", compose, "--cluster", testCluster}
	downArgs := []string{"-f", compose, "--cluster-name", testCluster}
	t.Cleanup(func() { _, _ = berth(t, bin, env, "down", "-v", "--cluster-name", testCluster, "-f", compose) })

	start := time.Now()
	if _, err := berth(t, bin, env, append([]string{"up", "-d", "--timeout", "5m"}, common...)...); err != nil {
		t.Fatalf("berth up -d: %v", err)
	}
	t.Logf("up -d took %s", time.Since(start))
	first, err := getVisits(t, "http://localhost:8080/")
	if err != nil {
		t.Fatalf("GET localhost:8080: %v", err)
	}
	second, err := getVisits(t, "http://localhost:8080/")
	if err != nil || second.Visits != first.Visits+1 {
		t.Fatalf("the app should count visits in the database: %+v then %+v (%v)", first, second, err)
	}
	logs, err := berth(t, bin, env, append([]string{"logs", "web"}, common...)...)
	if err != nil || !strings.Contains(logs, fmt.Sprintf("visits=%d", second.Visits)) {
		t.Fatalf("berth logs web should show the request (visits=%d)", second.Visits)
	}

	untouched := podUIDs(t, kubeconfig, "berth-demo", "db", "cache")
	editGreeting(t, dir, "hello from the edited demo")
	edited := time.Now()
	waitFor(t, 60*time.Second, func() bool {
		r, err := getVisits(t, "http://localhost:8080/")
		return err == nil && r.Message == "hello from the edited demo"
	})
	t.Logf("edit to serving: %s", time.Since(edited))
	if after := podUIDs(t, kubeconfig, "berth-demo", "db", "cache"); after != untouched {
		t.Errorf("db and cache pods should be untouched by an edit of the web service: %s → %s", untouched, after)
	}

	if _, err := berth(t, bin, env, append([]string{"down"}, downArgs...)...); err != nil {
		t.Fatalf("berth down: %v", err)
	}
	if _, err := berth(t, bin, env, append([]string{"up", "-d"}, common...)...); err != nil {
		t.Fatalf("berth up again: %v", err)
	}
	third, err := getVisits(t, "http://localhost:8080/")
	if err != nil || third.Visits <= second.Visits {
		t.Fatalf("data should survive down/up: visits %d after %d (%v)", third.Visits, second.Visits, err)
	}
	if _, err := berth(t, bin, env, append([]string{"down", "-v"}, downArgs...)...); err != nil {
		t.Fatalf("berth down -v: %v", err)
	}
	waitFor(t, 90*time.Second, func() bool {
		_, err := testcluster.Clientset(t, kubeconfig).CoreV1().Namespaces().Get(context.Background(), "berth-demo", metav1.GetOptions{})
		return err != nil
	})
}

func editGreeting(t *testing.T, dir, greeting string) {
	t.Helper()
	path := filepath.Join(dir, "api", "cmd", "web", "main.go")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), `const greeting = "hello from the berth demo"`, fmt.Sprintf("const greeting = %q", greeting), 1)
	if edited == string(src) {
		t.Fatal("greeting constant not found in the demo")
	}
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
}

// podUIDs lists the pod UIDs of services, to tell whether they were restarted.
func podUIDs(t *testing.T, kubeconfig, ns string, services ...string) string {
	t.Helper()
	var uids []string
	for _, svc := range services {
		pods, err := testcluster.Clientset(t, kubeconfig).CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=" + svc})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pods.Items {
			uids = append(uids, svc+"="+string(p.UID))
		}
	}
	return strings.Join(uids, ",")
}

func waitFor(t *testing.T, timeout time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if ok() {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("condition not met within %s", timeout)
}

func TestUpNamesFailingService(t *testing.T) {
	testcluster.Kubeconfig(t)
	bin := buildBerth(t)
	dir := t.TempDir()
	compose := `name: berth-broken
services:
  ok:
    image: localhost/kindnode/busybox:1.35
    command: ["sleep", "3600"]
  crashing:
    image: localhost/kindnode/busybox:1.35
    command: ["sh", "-c", "echo starting; echo 'fatal: config missing' >&2; exit 3"]
  missing:
    image: registry.invalid/does-not-exist:1
`
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_STATE_HOME=" + t.TempDir()}
	args := []string{"-f", filepath.Join(dir, "compose.yaml"), "--cluster", testCluster}
	t.Cleanup(func() {
		_, _ = berth(t, bin, env, append([]string{"down", "-v", "--cluster-name", testCluster}, args[:2]...)...)
	})
	out, err := berth(t, bin, env, append([]string{"up", "-d", "--timeout", "60s"}, args...)...)
	if err == nil {
		t.Fatal("berth up should fail when services cannot start")
	}
	for _, want := range []string{"crashing", "CrashLoopBackOff", "fatal: config missing", "missing", "ImagePull"} {
		if !strings.Contains(out, want) {
			t.Errorf("the failure should mention %q", want)
		}
	}
}

func TestUpWithoutDocker(t *testing.T) {
	bin := buildBerth(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  a:\n    image: nginx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "up", "-f", filepath.Join(dir, "compose.yaml"))
	cmd.Env = []string{"PATH=" + t.TempDir(), "HOME=" + t.TempDir()}
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("want exit code 1, got %v\n%s", err, out)
	}
	for _, want := range []string{"docker", "install", "--context"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the error should mention %q:\n%s", want, out)
		}
	}
}

// TestUpAgainAfterEditingAJob: a one-shot service others wait for runs as a
// Job; editing it in the compose file must not make the next `up` fail on
// the Job's immutable template, and the waiting service starts after it.
func TestUpAgainAfterEditingAJob(t *testing.T) {
	testcluster.Kubeconfig(t)
	bin := buildBerth(t)
	dir := t.TempDir()
	write := func(msg string) {
		compose := fmt.Sprintf(`name: berth-job
services:
  migrate:
    image: localhost/kindnode/busybox:1.35
    command: ["sh", "-c", "echo %s"]
  app:
    image: localhost/kindnode/busybox:1.35
    command: ["sleep", "3600"]
    depends_on:
      migrate:
        condition: service_completed_successfully
`, msg)
		if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"XDG_STATE_HOME=" + t.TempDir()}
	args := []string{"-f", filepath.Join(dir, "compose.yaml"), "--cluster", testCluster, "--no-ui", "--timeout", "3m"}
	t.Cleanup(func() {
		_, _ = berth(t, bin, env, "down", "-v", "--cluster-name", testCluster, "-f", filepath.Join(dir, "compose.yaml"))
	})
	write("first")
	if _, err := berth(t, bin, env, append([]string{"up", "-d"}, args...)...); err != nil {
		t.Fatalf("first up: %v", err)
	}
	write("second")
	out, err := berth(t, bin, env, append([]string{"up", "-d"}, args...)...)
	if err != nil {
		t.Fatalf("up after editing the job: %v", err)
	}
	if !strings.Contains(out, "app") || !strings.Contains(out, "ready") {
		t.Errorf("app should be ready after the second up")
	}
}
