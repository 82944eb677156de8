package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"berth/internal/browsertest"
	"berth/internal/testcluster"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"
)

// The dashboard on real data: the demo runs on the shared kind cluster with
// `berth up -d`, whose background process serves the dashboard from the
// real localenv session, the real SQLite store and the pods' log streams.
// A project name, published port and dashboard port of its own keep it
// apart from TestUpDemoEndToEnd (berth-demo, 8080, 7788).
const (
	dashProject = "berth-dash"
	dashAppPort = "18088"
	dashUIPort  = "7798"
	// liveBound is what the test asserts for emit → visible; the issue's
	// goal is 1 s, and the measured figures are logged against it.
	liveBound = 10 * time.Second
)

var demoServices = []string{"cache", "db", "web", "worker"}

// retargetDemo gives the copy of the demo its own project name and
// published port.
func retargetDemo(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "compose.yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	for old, repl := range map[string]string{
		"name: berth-demo\n": "name: " + dashProject + "\n",
		`- "8080:8080"`:      `- "` + dashAppPort + `:8080"`,
	} {
		if !strings.Contains(s, old) {
			t.Fatalf("%q not found in the demo's compose file", old)
		}
		s = strings.Replace(s, old, repl, 1)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDashboardOnRealDemo(t *testing.T) {
	chromium := browsertest.Path(t, "dashboard end-to-end test")
	testcluster.Kubeconfig(t)
	bin := buildBerth(t)
	compose := retargetDemo(t, copyDemo(t))
	env := []string{"XDG_STATE_HOME=" + t.TempDir()}
	args := []string{"-f", compose, "--cluster", testCluster, "--ui-port", dashUIPort}
	t.Cleanup(func() { _, _ = berth(t, bin, env, "down", "-v", "--cluster-name", testCluster, "-f", compose) })

	start := time.Now()
	out, err := berth(t, bin, env, append([]string{"up", "-d", "--timeout", "5m"}, args...)...)
	if err != nil {
		t.Fatalf("berth up -d: %v", err)
	}
	t.Logf("up -d took %s", time.Since(start).Round(time.Second))
	dash := dashboardURL(t, out)
	firstPageKnowsEveryService(t, dash)
	uiOut, err := berth(t, bin, env, "ui", "-f", compose, "--cluster", testCluster)
	if err != nil || dashboardURL(t, uiOut) != dash {
		t.Fatalf("berth ui should print the background process's dashboard %s (%v)", dash, err)
	}
	u, err := url.Parse(dash)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + u.Host
	app := "http://localhost:" + dashAppPort + "/"
	early, err := getVisits(t, app) // its log line is the old line searched for later
	if err != nil {
		t.Fatalf("GET %s: %v", app, err)
	}

	ctx := browsertest.Start(t, chromium)
	t.Run("overview", func(t *testing.T) {
		openPage(t, ctx, dash) // the token moves into a cookie
		ready := `['cache','db','web','worker'].every(s => {
			const r = document.querySelector('#service-rows tr[data-service="' + s + '"]');
			return r && r.querySelector('[data-field=state]').textContent === 'ready' &&
				r.querySelector('[data-field=replicas]').textContent === '1/1';
		})`
		if err := chromedp.Do(browsertest.Timeout(t, ctx, 40*time.Second), browsertest.Poll(ready, 35*time.Second)); err != nil {
			t.Errorf("every demo service should be ready 1/1 on the overview: %v\n%s", err,
				browsertest.Eval[string](t, ctx, `document.getElementById('service-rows').innerText`))
		}
		rows := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll('#service-rows tr')].map(r => r.dataset.service)`)
		if !slices.Equal(rows, demoServices) {
			t.Errorf("overview rows %v, want %v", rows, demoServices)
		}
		urls := browsertest.Eval[string](t, ctx, `document.querySelector('#service-rows tr[data-service="web"] [data-field=urls]').textContent`)
		if !strings.Contains(urls, dashAppPort) {
			t.Errorf("web's published URL %q should name port %s", urls, dashAppPort)
		}
		if u := browsertest.Eval[string](t, ctx, `location.href`); strings.Contains(u, "token=") {
			t.Errorf("the token should leave the address bar: %s", u)
		}
		browsertest.Screenshot(t, ctx, "dashboard-real-overview")
	})

	t.Run("live log line", func(t *testing.T) { liveLogLines(t, ctx, base, app) })
	t.Run("search finds an old line", func(t *testing.T) { searchOldLine(t, ctx, base, app, early.Visits) })
	t.Run("wrong token gets no data", func(t *testing.T) { wrongToken(t, ctx, base) })
	t.Run("every page", func(t *testing.T) { everyPage(t, ctx, base) })
	t.Run("a second up keeps one copy of each line", func(t *testing.T) {
		r, err := getVisits(t, app)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second) // recorded by the first background process
		out, err := berth(t, bin, env, append([]string{"up", "-d", "--timeout", "5m"}, args...)...)
		if err != nil {
			t.Fatalf("second berth up -d: %v", err)
		}
		firstPageKnowsEveryService(t, dashboardURL(t, out))
		openPage(t, ctx, dashboardURL(t, out))
		openPage(t, ctx, base+"/services/web")
		searchLogs(t, ctx, fmt.Sprintf(`visits=%d$`, r.Visits), true)
		line := fmt.Sprintf("GET / visits=%d", r.Visits)
		if err := chromedp.Do(browsertest.Timeout(t, ctx, 10*time.Second), browsertest.Poll(webLine(line), 5*time.Second)); err != nil {
			t.Fatalf("search did not find %q after the second up: %v", line, err)
		}
		time.Sleep(2 * time.Second)
		searchLogs(t, ctx, fmt.Sprintf(`visits=%d$`, r.Visits), true)
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#log-rows .line').length`); n != 1 {
			t.Errorf("%q is stored %d times after a second up -d, want once", line, n)
		}
	})
}

// getWithToken GETs url with the token in the dashboard's cookie ("" for none).
func getWithToken(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "berth_token", Value: token})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// firstPageKnowsEveryService: the dashboard `up -d` just printed lists
// every service at once, and their pages exist (it once answered "no such
// service" until its first status round).
func firstPageKnowsEveryService(t *testing.T, dash string) {
	t.Helper()
	base, token, _ := strings.Cut(dash, "/?token=")
	code, rows := getWithToken(t, base+"/api/rows", token)
	for _, svc := range demoServices {
		if code != http.StatusOK || !strings.Contains(rows, `data-service="`+svc+`"`) {
			t.Errorf("the first overview rows (HTTP %d) lack %s:\n%s", code, svc, rows)
		}
	}
	if code, body := getWithToken(t, base+"/services/web", token); code != http.StatusOK {
		t.Errorf("the web service's page right after up -d: HTTP %d %s", code, body)
	}
}

// webLine is the JS test that a row of the log panel ends with text.
func webLine(text string) string {
	return fmt.Sprintf(`[...document.querySelectorAll('#log-rows .msg')].some(m => m.textContent.endsWith(%q))`, text)
}

// liveLogLines: a request to the demo's web service logs "GET / visits=N";
// that line, read from the pod's log stream, reaches the open service page
// over the websocket. Latency is measured from sending the request.
func liveLogLines(t *testing.T, ctx context.Context, base, app string) {
	openPage(t, ctx, base+"/services/web")
	if err := chromedp.Do(browsertest.Timeout(t, ctx, 15*time.Second), browsertest.Poll(`document.getElementById('log-status').textContent !== ''`, 10*time.Second)); err != nil {
		t.Fatalf("the stored lines of web were not loaded: %v", err)
	}
	var took []time.Duration
	for i := 0; i < 5; i++ {
		sent := time.Now()
		r, err := getVisits(t, app)
		if err != nil {
			t.Fatalf("GET %s: %v", app, err)
		}
		want := fmt.Sprintf("GET / visits=%d", r.Visits)
		if err := chromedp.Do(browsertest.Timeout(t, ctx, liveBound), browsertest.Poll(webLine(want), liveBound)); err != nil {
			t.Fatalf("%q not on the web service's page within %s: %v", want, liveBound, err)
		}
		took = append(took, time.Since(sent))
		t.Logf("%q visible %v after the request", want, took[i].Round(time.Millisecond))
		time.Sleep(300 * time.Millisecond)
	}
	slices.Sort(took)
	t.Logf("emit → visible on real data: min %v, median %v, max %v (issue goal 1s, asserted %s)",
		took[0].Round(time.Millisecond), took[len(took)/2].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond), liveBound)
	if took[len(took)-1] > time.Second {
		t.Logf("NOTE: slowest line took %v, above the issue's 1 s goal", took[len(took)-1].Round(time.Millisecond))
	}
	browsertest.Screenshot(t, ctx, "dashboard-real-service-web")
}

// searchOldLine: after more lines than the panel's first page, the web
// pod's startup line and the first request's line are no longer in the
// window a fresh page loads; the server-side search (SQLite FTS and regex)
// finds them.
func searchOldLine(t *testing.T, ctx context.Context, base, app string, early int) {
	const flood = 520 // more than the panel's first page (500)
	for i := 0; i < flood; i++ {
		if _, err := getVisits(t, app); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	last, err := getVisits(t, app)
	if err != nil {
		t.Fatal(err)
	}
	lastLine := fmt.Sprintf("GET / visits=%d", last.Visits)
	// Let the recorder store it (it flushes every 200 ms): a line published
	// while a page is opening, before its websocket subscribes and before
	// the store has it, is not on that page until a reload.
	time.Sleep(time.Second)
	openPage(t, ctx, base+"/services/web")
	if err := chromedp.Do(browsertest.Timeout(t, ctx, 15*time.Second), browsertest.Poll(webLine(lastLine), 10*time.Second)); err != nil {
		t.Fatalf("the newest line %q should be on a fresh page: %v", lastLine, err)
	}
	earlyLine := fmt.Sprintf("GET / visits=%d", early)
	if browsertest.Eval[bool](t, ctx, webLine(earlyLine)) || browsertest.Eval[bool](t, ctx, webLine("web listening on :8080")) {
		t.Fatalf("the old lines should be outside the first page (%d rows)", browsertest.Eval[int](t, ctx, `document.querySelectorAll('#log-rows .line').length`))
	}

	searchLogs(t, ctx, "listening", false)
	if err := chromedp.Do(browsertest.Timeout(t, ctx, 10*time.Second), browsertest.Poll(webLine("web listening on :8080"), 5*time.Second)); err != nil {
		t.Fatalf("text search did not find the startup line: %v\n%s", err, browsertest.Eval[string](t, ctx, `document.getElementById('log-rows').innerText`))
	}
	if n := browsertest.Eval[int](t, ctx, `[...document.querySelectorAll('#log-rows .msg')].filter(m => !m.textContent.includes('listening')).length`); n != 0 {
		t.Errorf("text search shows %d lines without the word", n)
	}
	browsertest.Screenshot(t, ctx, "dashboard-real-search-text")

	searchLogs(t, ctx, fmt.Sprintf(`visits=%d$`, early), true)
	if err := chromedp.Do(browsertest.Timeout(t, ctx, 10*time.Second), browsertest.Poll(webLine(earlyLine), 5*time.Second)); err != nil {
		t.Fatalf("regex search did not find %q: %v", earlyLine, err)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#log-rows .line').length`); n != 1 {
		t.Errorf("regex search shows %d lines, want exactly %q", n, earlyLine)
	}
	browsertest.Screenshot(t, ctx, "dashboard-real-search-regex")
}

// searchLogs runs a search from the log panel's form.
func searchLogs(t *testing.T, ctx context.Context, q string, regex bool) {
	t.Helper()
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS("#log-q"), q),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById('log-regex').checked = %t`, regex)),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('log-status').textContent = ''`),
		chromedp.Click(chromedp.CSS(`#log-search button[type="submit"]`)),
		browsertest.Poll(`document.getElementById('log-status').textContent.includes('search results')`, 10*time.Second),
	}
	if err := chromedp.Do(browsertest.Timeout(t, ctx, 15*time.Second), steps...); err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
}

// wrongToken: neither the pages, the API nor the websocket give anything
// to a wrong or missing token.
func wrongToken(t *testing.T, ctx context.Context, base string) {
	for _, c := range []struct {
		path, cookie string
	}{{"/?token=wrong", ""}, {"/", ""}, {"/api/snapshot", "wrong"}, {"/api/logs?service=web", "wrong"}, {"/services/web", ""}} {
		code, body := getWithToken(t, base+c.path, c.cookie)
		if code != http.StatusUnauthorized || strings.Contains(body, "worker") || strings.Contains(body, "visits=") {
			t.Errorf("GET %s (cookie %q): HTTP %d %q, want 401 and no data", c.path, c.cookie, code, body)
		}
	}
	h := http.Header{"Origin": {base}, "Cookie": {"berth_token=wrong"}}
	if conn, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws?logs=1", h); err == nil {
		conn.Close()
		t.Error("the websocket accepted a wrong token")
	} else if resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("websocket with a wrong token: %v (want HTTP 401)", err)
	}

	// A browser profile without the cookie, opening a wrong URL.
	fresh, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(browsertest.Timeout(t, fresh, 15*time.Second), chromedp.Navigate(base+"/?token=wrong")); err != nil {
		t.Fatal(err)
	}
	body := browsertest.Eval[string](t, fresh, `document.body.innerText`)
	if !strings.Contains(body, "wrong token") || strings.Contains(body, "worker") {
		t.Errorf("wrong-token page: %q", body)
	}
	if st := browsertest.Eval[int](t, fresh, `fetch('/api/snapshot').then(r => r.status)`); st != http.StatusUnauthorized {
		t.Errorf("snapshot from the wrong-token page: HTTP %d", st)
	}
	browsertest.Screenshot(t, fresh, "dashboard-real-wrong-token")
}

// everyPage: topology, history (from the store) and the merged logs show
// the real project; a screenshot of each.
func everyPage(t *testing.T, ctx context.Context, base string) {
	openPage(t, ctx, base+"/topology")
	nodes := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll('g.node')].map(n => n.dataset.service + ':' + n.querySelector('[data-field=state]').textContent).sort()`)
	if want := []string{"cache:ready", "db:ready", "web:ready", "worker:ready"}; !slices.Equal(nodes, want) {
		t.Errorf("topology nodes %v, want %v", nodes, want)
	}
	browsertest.Screenshot(t, ctx, "dashboard-real-topology")

	openPage(t, ctx, base+"/history")
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('table.runs tbody tr').length`); n < 1 {
		t.Errorf("history shows %d runs, want the current one from the store", n)
	}
	browsertest.Screenshot(t, ctx, "dashboard-real-history")

	openPage(t, ctx, base+"/logs")
	err := chromedp.Do(browsertest.Timeout(t, ctx, 15*time.Second), browsertest.Poll(`(() => {
		const s = new Set([...document.querySelectorAll('#log-rows .svc')].map(e => e.textContent));
		return s.has('web') && s.has('worker');
	})()`, 10*time.Second))
	if err != nil {
		t.Errorf("merged logs should show web and worker lines: %v", err)
	}
	browsertest.Screenshot(t, ctx, "dashboard-real-logs")
}
