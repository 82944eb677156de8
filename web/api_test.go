package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"berth/localenv"
)

func seedLogs(src *fakeSource, n int) {
	for i := 0; i < n; i++ {
		svc := []string{"api", "worker"}[i%2]
		src.Publish(localenv.Event{Time: testEpoch.Add(time.Duration(i) * time.Second), Service: svc, Kind: localenv.EventLog, Message: fmt.Sprintf("%s request %d status=%d", svc, i, 200+i%3)})
	}
}

func getPage(t *testing.T, env *testEnv, path string) apiPage {
	t.Helper()
	resp := env.get(t, path)
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s: HTTP %d %s", path, resp.StatusCode, b)
	}
	var p apiPage
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLogsPagingAndSearch(t *testing.T) {
	src := newFakeSource()
	src.logs = &fakeLogs{}
	seedLogs(src, 1000)
	env := startServer(t, src, Options{Logs: src.logs})

	p := getPage(t, env, "/api/logs?service=api&limit=100")
	if len(p.Lines) != 100 || p.Lines[99].Message != "api request 998 status=202" || p.Lines[0].Message != "api request 800 status=202" {
		t.Fatalf("latest page: %d lines, first %q last %q", len(p.Lines), p.Lines[0].Message, p.Lines[len(p.Lines)-1].Message)
	}
	older := getPage(t, env, fmt.Sprintf("/api/logs?service=api&limit=100&before=%d", p.Older))
	if older.Lines[99].Message != "api request 798 status=200" {
		t.Fatalf("older page ends with %q", older.Lines[99].Message)
	}
	hit := getPage(t, env, "/api/logs?q=request+4+status")
	if len(hit.Lines) != 1 || hit.Lines[0].Service != "api" {
		t.Fatalf("text search: %+v", hit.Lines)
	}
	re := getPage(t, env, "/api/logs?service=worker&regex=1&q="+"request+9[0-9]%7B2%7D+status%3D202")
	for _, l := range re.Lines {
		if !strings.HasPrefix(l.Message, "worker request 9") || !strings.HasSuffix(l.Message, "202") {
			t.Fatalf("regex hit %q", l.Message)
		}
	}
	if len(re.Lines) == 0 {
		t.Fatal("regex search found nothing")
	}
	window := getPage(t, env, "/api/logs?since=2026-11-23T10:00:10&until=2026-11-23T10:00:12")
	if len(window.Lines) != 2 || window.Lines[0].Message != "api request 10 status=201" {
		t.Fatalf("time window: %+v", window.Lines)
	}
	if resp := env.get(t, "/api/logs?regex=1&q=("); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad regex: HTTP %d", resp.StatusCode)
	}
}

func TestDownloadStreamsEveryLine(t *testing.T) {
	src := newFakeSource()
	src.logs = &fakeLogs{}
	seedLogs(src, 5000)
	env := startServer(t, src, Options{Logs: src.logs})
	resp := env.get(t, "/api/logs/download?service=worker")
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(resp.Header.Get("Content-Disposition"), "berth-logs-worker.txt") {
		t.Fatalf("disposition %q", resp.Header.Get("Content-Disposition"))
	}
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != 2500 || !strings.HasSuffix(lines[2499], "worker | worker request 1 status=201") {
		t.Fatalf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

func TestPagesRender(t *testing.T) {
	src := newFakeSource()
	env := startServer(t, src, Options{History: fakeHistory{}})
	src.Publish(localenv.Event{Service: "api", Kind: localenv.EventRollout, Message: "1 of 2 updated"})
	waitFor(t, time.Second, "hub saw the event", func() bool { _, ok := env.srv.Hub().LastEvent("api"); return ok })
	for path, want := range map[string]string{
		"/":             "rollout: 1 of 2 updated",
		"/services/api": "replicas: 3",
		"/topology":     `class="node state-crash-looping" data-service="worker"`,
		"/history":      "prod-eu",
		"/logs":         `id="log-view"`,
		"/api/rows":     `data-service="cache"`,
	} {
		resp := env.get(t, path)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("%s: HTTP %d, want body containing %q", path, resp.StatusCode, want)
		}
	}
	if resp := env.get(t, "/services/nope"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown service: HTTP %d", resp.StatusCode)
	}
}
