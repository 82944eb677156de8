package web

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"berth/localenv"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestMain(m *testing.M) {
	time.Local = time.UTC // golden files must not depend on the machine's zone
	os.Exit(m.Run())
}

func goldenRows() []ServiceRow {
	f := newFakeSource()
	rows := serviceRows(f.Snapshot(), func(name string) (e localenv.Event, ok bool) {
		if name == "worker" {
			return localenv.Event{Time: testEpoch, Service: "worker", Kind: "failing", Message: "exit 1: panic: no DATABASE_URL"}, true
		}
		return e, false
	}, func(name string) int { return len(name) % paletteSize })
	// A hostile name and image: everything must come out escaped.
	rows = append(rows, ServiceRow{Name: `x"><script>alert(1)</script>`, State: "stopped", Image: `<img src=x onerror=alert(2)>`,
		URLs: []string{"javascript:alert(3)"}, LastEvent: "<b>bold</b>"})
	return rows
}

func goldenPage(nav, kind, service string) PageView {
	return PageView{Title: "Title", Project: "demo", Nav: nav, Page: kind, Service: service}
}

func goldenService() ServiceView {
	f := newFakeSource()
	m, _ := f.Manifests("api")
	events, _ := fakeHistory{}.Events(context.Background(), "demo", "api", 10)
	return ServiceView{
		Page: goldenPage("", "service", "api"), Row: goldenRows()[0],
		Events: eventRows(events), Manifests: m.Envs, Diff: diffLines(m.Diff), Report: m.Report,
		Notice: "Events from the store are 2s behind",
	}
}

func goldenHistory() HistoryView {
	h := fakeHistory{}
	runs, _ := h.Runs(context.Background(), "demo", 10)
	proms, _ := h.Promotions(context.Background(), "demo", 10)
	return HistoryView{Page: goldenPage("history", "history", ""), Runs: runRows(runs), Promotions: promotionRows(proms)}
}

func goldenTopology() TopologyView {
	f := newFakeSource()
	v := layoutTopology(f.Snapshot(), f.Graph())
	v.Page = goldenPage("topology", "topology", "")
	return v
}

// TestRenderGolden renders every component with fixed data and compares
// with testdata/<name>.golden (go test ./web -run Golden -update rewrites).
func TestRenderGolden(t *testing.T) {
	cases := map[string]templ.Component{
		"layout":         Layout(goldenPage("overview", "overview", "")),
		"state_badge":    StateBadge("crash-looping", "CrashLoopBackOff"),
		"overview":       Overview(goldenPage("overview", "overview", ""), goldenRows()),
		"overview_empty": Overview(goldenPage("overview", "overview", ""), nil),
		"overview_rows":  OverviewRows(goldenRows()),
		"url_list":       URLList([]string{"http://localhost:8080", "http://localhost:9090/admin"}),
		"service":        ServicePage(goldenService()),
		"service_bare":   ServicePage(ServiceView{Page: goldenPage("", "service", "db"), Row: goldenRows()[1]}),
		"event_table":    EventTable(goldenService().Events),
		"report_table":   ReportTable(goldenService().Report),
		"report_empty":   ReportTable(nil),
		"log_panel":      LogPanel("api"),
		"merged_logs":    MergedLogs(goldenPage("logs", "logs", "")),
		"topology":       Topology(goldenTopology()),
		"topology_empty": Topology(TopologyView{Page: goldenPage("topology", "topology", "")}),
		"history":        HistoryPage(goldenHistory()),
		"history_empty":  HistoryPage(HistoryView{Page: goldenPage("history", "history", ""), Notice: "No history store is attached to this dashboard."}),
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.Render(context.Background(), &buf); err != nil {
				t.Fatalf("render: %v", err)
			}
			got := buf.Bytes()
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from golden file; got:\n%s", path, got)
			}
		})
	}
}

// TestRenderEscapes checks that hostile names never reach the page raw.
func TestRenderEscapes(t *testing.T) {
	var buf bytes.Buffer
	if err := Overview(goldenPage("overview", "overview", ""), goldenRows()).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, bad := range []string{"<script>alert(1)", "<img src=x", "<b>bold</b>", `href="javascript:`} {
		if strings.Contains(html, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)", "demo/api:3f2a1c", "CrashLoopBackOff: exit 1", "exit 1: panic: no DATABASE_URL"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
