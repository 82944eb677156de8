package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"berth/internal/browsertest"
	"berth/localenv"
)

// newBrowser starts a fresh headless Chromium (its own user-data-dir) and
// returns a tab context. It skips loudly without Chromium unless
// BERTH_E2E=1 demands the browser tests.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t, browsertest.Path(t, "browser test"))
}

// open navigates to path with the token and waits for the live connection.
func open(t *testing.T, ctx context.Context, env *testEnv, path string) {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	err := chromedp.Do(browsertest.Timeout(t, ctx, 15*time.Second),
		chromedp.Navigate(env.ts.URL+path+sep+"token="+env.srv.Token()),
		chromedp.WaitVisible(chromedp.CSS("main")),
		chromedp.Steps(voidPoll(`document.getElementById('conn').textContent === 'live'`)),
	)
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
}

// voidPoll waits, up to 10 s, until expr is true in the page.
func voidPoll(expr string) chromedp.Action[chromedp.Void] {
	return browsertest.Poll(expr, 10*time.Second)
}

func TestBrowserOverviewShowsEveryService(t *testing.T) {
	ctx := newBrowser(t)
	src := newFakeSource()
	env := startServer(t, src, Options{History: fakeHistory{}})
	open(t, ctx, env, "/")
	got := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll('#service-rows tr')].map(r => r.dataset.service)`)
	if strings.Join(got, ",") != "api,cache,db,web,worker" {
		t.Fatalf("overview rows %v, want every service of the fake source", got)
	}
	// A status change shows up without a reload, and a new service appears.
	st := localenv.ServiceStatus{Service: "cache", State: localenv.StateReady, Ready: 1, Desired: 1, Image: "redis:7"}
	src.Publish(localenv.Event{Service: "cache", Kind: localenv.EventStatus, Status: &st})
	nw := localenv.ServiceStatus{Service: "mailer", State: localenv.StateStarting, Desired: 1, Image: "demo/mailer:1"}
	src.Publish(localenv.Event{Service: "mailer", Kind: localenv.EventStatus, Status: &nw})
	src.Publish(localenv.Event{Service: "worker", Kind: localenv.EventFailing, Message: "exit 2: cannot reach db"})
	err := chromedp.Do(browsertest.Timeout(t, ctx, 5*time.Second), voidPoll(
		`document.querySelector('tr[data-service="cache"] [data-field=state]').textContent === 'ready' &&
		 !!document.querySelector('tr[data-service="mailer"]') &&
		 document.querySelector('tr[data-service="worker"] [data-field=last]').textContent.includes('cannot reach db')`))
	if err != nil {
		t.Fatalf("overview did not update live: %v", err)
	}
	browsertest.Screenshot(t, ctx, "dashboard-"+"overview")
}

func TestBrowserLogLineAppearsWithinOneSecond(t *testing.T) {
	ctx := newBrowser(t)
	src := newFakeSource()
	src.logs = &fakeLogs{}
	seedLogs(src, 300)
	env := startServer(t, src, Options{Logs: src.logs, History: fakeHistory{}})
	open(t, ctx, env, "/services/api")
	if err := chromedp.Do(browsertest.Timeout(t, ctx, 5*time.Second), voidPoll(`document.querySelectorAll('#log-rows .line').length === 150`)); err != nil {
		t.Fatalf("stored lines of api not shown: %v", err)
	}
	for i := 0; i < 5; i++ {
		want := fmt.Sprintf("fresh line %d <b>not bold</b>", i)
		start := time.Now()
		src.Publish(localenv.Event{Service: "api", Kind: localenv.EventLog, Message: want})
		err := chromedp.Do(browsertest.Timeout(t, ctx, time.Second), voidPoll(
			fmt.Sprintf(`[...document.querySelectorAll('#log-rows .msg')].some(m => m.textContent === %q)`, want)))
		if err != nil {
			t.Fatalf("log line %q not on the page within 1s: %v", want, err)
		}
		t.Logf("line %d visible after %v", i, time.Since(start).Round(time.Millisecond))
	}
	if browsertest.Eval[int](t, ctx, `document.querySelectorAll('#log-rows b').length`) != 0 {
		t.Fatal("log text was interpreted as HTML")
	}
	browsertest.Screenshot(t, ctx, "dashboard-"+"service")
}

func TestBrowserSearchFindsOldLine(t *testing.T) {
	ctx := newBrowser(t)
	src := newFakeSource()
	src.logs = &fakeLogs{}
	src.Publish(localenv.Event{Time: testEpoch.Add(-time.Hour), Service: "worker", Kind: localenv.EventLog, Message: "needle: migration 0042 applied"})
	seedLogs(src, 20000) // the needle is far older than the first page
	env := startServer(t, src, Options{Logs: src.logs})
	open(t, ctx, env, "/logs")
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#log-rows .msg').length`); n == 0 || n > 5000 {
		t.Fatalf("merged view shows %d lines, want a first page within the window", n)
	}
	err := chromedp.Do(browsertest.Timeout(t, ctx, 10*time.Second),
		chromedp.SetValue(chromedp.CSS("#log-q"), "migration 00[0-9]+"),
		chromedp.Click(chromedp.CSS("#log-regex")),
		chromedp.Click(chromedp.CSS(`#log-search button[type="submit"]`)),
		voidPoll(`[...document.querySelectorAll('#log-rows .msg')].some(m => m.textContent === 'needle: migration 0042 applied')`),
	)
	if err != nil {
		t.Fatalf("search did not find the old line: %v", err)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#log-rows .line').length`); n != 1 {
		t.Fatalf("search shows %d lines, want exactly the needle", n)
	}
	browsertest.Screenshot(t, ctx, "dashboard-"+"logs-search")
}

func TestBrowserWrongTokenGetsNoData(t *testing.T) {
	ctx := newBrowser(t)
	env := startServer(t, newFakeSource(), Options{})
	err := chromedp.Do(browsertest.Timeout(t, ctx, 10*time.Second), chromedp.Navigate(env.ts.URL+"/?token=wrong"))
	if err != nil {
		t.Fatal(err)
	}
	body := browsertest.Eval[string](t, ctx, `document.body.innerText`)
	if !strings.Contains(body, "wrong token") || strings.Contains(body, "worker") {
		t.Fatalf("wrong-token page: %q", body)
	}
	status := browsertest.Eval[int](t, ctx, `fetch('/api/snapshot').then(r => r.status)`)
	if status != 401 {
		t.Fatalf("snapshot with wrong token: HTTP %d", status)
	}
	ws := browsertest.Eval[string](t, ctx, `new Promise(res => {
		const w = new WebSocket('ws://' + location.host + '/ws?logs=1');
		w.onopen = () => res('open'); w.onerror = () => res('refused');
	})`)
	if ws != "refused" || env.srv.Hub().Clients() != 0 {
		t.Fatalf("websocket with wrong token: %s, %d clients", ws, env.srv.Hub().Clients())
	}
}

func TestBrowserScreenshotsOfEveryPage(t *testing.T) {
	ctx := newBrowser(t)
	src := newFakeSource()
	src.logs = &fakeLogs{}
	seedLogs(src, 400)
	env := startServer(t, src, Options{Logs: src.logs, History: fakeHistory{}})
	for _, p := range []struct{ path, name string }{{"/topology", "topology"}, {"/history", "history"}, {"/logs", "logs"}} {
		open(t, ctx, env, p.path)
		browsertest.Screenshot(t, ctx, "dashboard-"+p.name)
	}
	open(t, ctx, env, "/services/api")
	err := chromedp.Do(browsertest.Timeout(t, ctx, 5*time.Second),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => d.open = true)`),
		chromedp.Click(chromedp.CSS(`button[data-action="restart"]`)),
		voidPoll(`document.getElementById('action-result').textContent.includes('restart of api started')`),
	)
	if err != nil {
		t.Fatalf("restart button: %v", err)
	}
	if got := src.Actions(); len(got) != 1 || got[0] != "restart api" {
		t.Fatalf("actions %v", got)
	}
	browsertest.Screenshot(t, ctx, "dashboard-"+"service-details")
}

// TestBrowserLogWindowStaysBounded: a flood of live lines leaves at most
// 5,000 rows in the page, and scrolling to the top pages older lines in
// from the server while keeping the window.
func TestBrowserLogWindowStaysBounded(t *testing.T) {
	ctx := newBrowser(t)
	src := newFakeSource()
	src.logs = &fakeLogs{}
	env := startServer(t, src, Options{Logs: src.logs})
	open(t, ctx, env, "/logs")
	const n = 8000
	base := time.Now().Add(-time.Hour)
	for i := 0; i < n; i++ {
		src.Publish(localenv.Event{Time: base.Add(time.Duration(i) * time.Millisecond), Service: []string{"api", "db"}[i%2], Kind: localenv.EventLog, Message: fmt.Sprintf("flood %d", i)})
		if i%500 == 499 {
			time.Sleep(5 * time.Millisecond)
		}
	}
	last := fmt.Sprintf("flood %d", n-1)
	if err := chromedp.Do(browsertest.Timeout(t, ctx, 10*time.Second), voidPoll(
		fmt.Sprintf(`document.querySelector('#log-rows .line:last-child .msg')?.textContent === %q`, last))); err != nil {
		t.Fatalf("last flood line not shown: %v", err)
	}
	if rows := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#log-rows .line').length`); rows != 5000 {
		t.Fatalf("%d rows in the DOM, want the 5,000-row window", rows)
	}
	first := browsertest.Eval[string](t, ctx, `document.querySelector('#log-rows .line .msg').textContent`)
	if first != "flood 3000" {
		t.Fatalf("window starts at %q, want flood 3000", first)
	}
	err := chromedp.Do(browsertest.Timeout(t, ctx, 10*time.Second),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('log-view').scrollTop = 0`),
		voidPoll(`document.querySelector('#log-rows .line .msg').textContent === 'flood 2500'`),
	)
	if err != nil {
		t.Fatalf("older page not loaded on scroll to top: %v", err)
	}
	if rows := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#log-rows .line').length`); rows != 5000 {
		t.Fatalf("%d rows after paging back, want 5,000", rows)
	}
}
