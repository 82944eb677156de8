package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Helpers of the end-to-end dashboard test: headless Chromium as web's
// browser tests start it (web/browser_test.go), for a dashboard served by
// the real berth binary.

func timeoutCtx(t *testing.T, ctx context.Context, d time.Duration) context.Context {
	c, cancel := context.WithTimeout(ctx, d)
	t.Cleanup(cancel)
	return c
}

// pollJS waits until the expression is true in the page.
func pollJS(expr string, timeout time.Duration) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(timeout))(ctx, tg)
		return chromedp.Void{}, err
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(timeoutCtx(t, ctx, 10*time.Second), chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// openPage navigates to url and waits until the page's websocket is live.
func openPage(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	start := time.Now()
	if err := chromedp.Do(timeoutCtx(t, ctx, 20*time.Second), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		state, _ := chromedp.Run(timeoutCtx(t, ctx, 5*time.Second), chromedp.Evaluate[string](`document.readyState + ' ' + location.href + ' ' + document.body.innerText.slice(0, 200)`))
		t.Fatalf("opening %s: %v (page: %q)", url, err, state)
	}
	live := `document.getElementById('conn').textContent === 'live'`
	if err := chromedp.Do(timeoutCtx(t, ctx, 20*time.Second), pollJS(live, 15*time.Second)); err != nil {
		t.Fatalf("%s loaded in %v but its websocket is not live: %v (conn: %q)", url, time.Since(start).Round(time.Millisecond), err,
			evalJS[string](t, ctx, `document.getElementById('conn').textContent`))
	}
}

// saveScreenshot writes dashboard-real-<name>.png to $BERTH_ARTIFACTS (or
// a temporary folder).
func saveScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("BERTH_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(timeoutCtx(t, ctx, 20*time.Second), chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, "dashboard-real-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

var dashboardLine = regexp.MustCompile(`dashboard: (http://\S+/\?token=[0-9a-f]+)`)

// dashboardURL is the URL (with its token) that `berth up` or `berth ui`
// printed.
func dashboardURL(t *testing.T, out string) string {
	t.Helper()
	m := dashboardLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no \"dashboard: URL\" line in the output:\n%s", tailLines(out, 30))
	}
	return m[1]
}
