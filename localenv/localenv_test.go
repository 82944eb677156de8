package localenv

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"berth/convert"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

func loadBundle(t *testing.T, compose string, env map[string]string) (*convert.Loaded, *convert.Bundle) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{filepath.Join(dir, "compose.yaml")}, Environ: environ, ProjectName: "t"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := convert.Convert(l.Project, l.Options())
	if err != nil {
		t.Fatal(err)
	}
	return l, b
}

func TestWithSecretValuesFillsOnlyTheAppliedCopy(t *testing.T) {
	_, b := loadBundle(t, `services:
  db:
    image: postgres:15
    environment:
      POSTGRES_PASSWORD: ${PW}
      PLAIN: x
`, map[string]string{"PW": "hunter2"})
	objs, missing, err := withSecretValues(b)
	if err != nil || len(missing) != 0 {
		t.Fatalf("err %v missing %v", err, missing)
	}
	var filled *corev1.Secret
	for _, o := range objs {
		if s, ok := o.(*corev1.Secret); ok {
			filled = s
		}
	}
	if filled == nil || filled.StringData["POSTGRES_PASSWORD"] != "hunter2" {
		t.Fatalf("the applied Secret should carry the value, got %+v", filled)
	}
	for _, o := range b.Objects {
		if s, ok := o.(*corev1.Secret); ok && s.StringData["POSTGRES_PASSWORD"] != "" {
			t.Fatal("the bundle's Secret (what convert prints) must stay without values")
		}
	}
}

func TestWithSecretValuesReportsMissing(t *testing.T) {
	_, b := loadBundle(t, "services:\n  a:\n    image: x\n    environment:\n      API_TOKEN: \"\"\n", nil)
	_, missing, err := withSecretValues(b)
	if err != nil || len(missing) != 1 || !strings.Contains(missing[0], "API_TOKEN") {
		t.Fatalf("want API_TOKEN reported missing, got %v %v", missing, err)
	}
}

func TestSplitByJobsAppliesWaitersLater(t *testing.T) {
	l, b := loadBundle(t, `services:
  migrate:
    image: m
  api:
    image: a
    depends_on:
      migrate:
        condition: service_completed_successfully
`, nil)
	objs, _, _ := withSecretValues(b)
	first, later := splitByJobs(l.Project, objs)
	if len(later) != 1 || convert.Kind(later[0].(convert.Object)) != "Deployment" {
		t.Fatalf("api's Deployment should wait for the Job, later=%v", later)
	}
	for _, o := range first {
		if serviceOf(o.(convert.Object).GetAnnotations()) == "api" && convert.IsWorkloadKind(convert.Kind(o.(convert.Object))) {
			t.Fatal("api's workload must not be in the first batch")
		}
	}
}

func TestMountRoots(t *testing.T) {
	got := mountRoots([]string{"/work/a/b", "/work/c", "/home/me/x"})
	if strings.Join(got, ",") != "/home,/work" {
		t.Fatalf("got %v", got)
	}
}

func TestAffectedHonoursDockerignore(t *testing.T) {
	dir := t.TempDir()
	ctxDir := filepath.Join(dir, "api")
	if err := os.MkdirAll(filepath.Join(ctxDir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ctxDir, ".dockerignore"), []byte("docs/\n*.md\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &Session{
		Loaded: &convert.Loaded{Project: &types.Project{WorkingDir: dir, ComposeFiles: []string{filepath.Join(dir, "compose.yaml")}}},
		Bundle: &convert.Bundle{Images: []convert.ImageBuild{{Service: "api", Context: ctxDir}}},
	}
	cases := map[string]string{
		filepath.Join(ctxDir, "main.go"):        "api",
		filepath.Join(ctxDir, "docs", "x.txt"):  "",
		filepath.Join(ctxDir, "README.md"):      "",
		filepath.Join(dir, "compose.yaml"):      "<compose>",
		filepath.Join(dir, "elsewhere", "x.go"): "",
	}
	for path, want := range cases {
		got := strings.Join(s.affected(path), ",")
		if want == "<compose>" {
			want = ""
			if len(s.affected(path)) != 1 || s.affected(path)[0] != "" {
				t.Errorf("%s: a compose file change should reload, got %q", path, got)
			}
			continue
		}
		if got != want {
			t.Errorf("%s: affected %q, want %q", path, got, want)
		}
	}
}

func TestPrinterText(t *testing.T) {
	var buf bytes.Buffer
	p := &Printer{Out: &buf, Logs: true}
	p.Print(Event{Service: "web", Kind: EventStatus, Status: &ServiceStatus{State: StateBuilding}})
	p.Print(Event{Service: "web", Kind: EventStatus, Status: &ServiceStatus{State: StateBuilding}})
	p.Print(Event{Service: "web", Kind: EventStatus, Status: &ServiceStatus{State: StateReady}})
	p.Print(Event{Service: "web", Kind: EventLog, Message: "GET /"})
	out := buf.String()
	if strings.Count(out, "building") != 1 || !strings.Contains(out, "✔ web ready") || !strings.Contains(out, "web | GET /") {
		t.Fatalf("unexpected output:\n%s", out)
	}
}

func TestPrinterJSON(t *testing.T) {
	var buf bytes.Buffer
	p := &Printer{Out: &buf, JSON: true}
	p.Print(Event{Project: "demo", Service: "web", Kind: EventReady, Message: "ready"})
	p.Print(Event{Service: "web", Kind: EventLog, Message: "not shown without Logs"})
	if lines := strings.Split(strings.TrimSpace(buf.String()), "\n"); len(lines) != 1 || !strings.Contains(lines[0], `"kind":"ready"`) {
		t.Fatalf("unexpected JSON lines: %q", buf.String())
	}
}

func TestDaemonStateRoundTrip(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	if _, err := ReadDaemon("p"); err == nil {
		t.Fatal("no daemon yet")
	}
	if err := WriteDaemon("p", DaemonState{PID: os.Getpid(), URLs: []string{"http://localhost:1"}, Ready: true}); err != nil {
		t.Fatal(err)
	}
	st, err := ReadDaemon("p")
	if err != nil || !st.Ready || st.URLs[0] != "http://localhost:1" {
		t.Fatalf("got %+v %v", st, err)
	}
	if err := WriteDaemon("p", DaemonState{PID: 999999999}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDaemon("p"); err == nil {
		t.Fatal("a dead pid is not a running daemon")
	}
}

func TestPublisherDropsForSlowSubscriber(t *testing.T) {
	p := NewPublisher()
	p.Project = "demo"
	slow, _ := p.Subscribe(1)
	fast, cancel := p.Subscribe(10)
	defer cancel()
	for i := 0; i < 5; i++ {
		p.Publish(Event{Kind: EventInfo})
	}
	if len(slow) != 1 || len(fast) != 5 {
		t.Fatalf("slow %d fast %d", len(slow), len(fast))
	}
	if e := <-fast; e.Project != "demo" || e.Time.IsZero() {
		t.Fatalf("events are stamped: %+v", e)
	}
	p.Close()
	if _, ok := <-slow; !ok {
		t.Fatal("buffered event first")
	}
	if _, ok := <-slow; ok {
		t.Fatal("closed after Close")
	}
}
