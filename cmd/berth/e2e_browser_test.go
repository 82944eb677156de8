package main

import (
	"context"
	"regexp"
	"testing"
	"time"

	"berth/internal/browsertest"

	"github.com/chromedp/chromedp"
)

// Helpers of the end-to-end dashboard test: headless Chromium as web's
// browser tests start it (web/browser_test.go), for a dashboard served by
// the real berth binary.

// openPage navigates to url and waits until the page's websocket is live.
func openPage(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	start := time.Now()
	if err := chromedp.Do(browsertest.Timeout(t, ctx, 20*time.Second), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		state, _ := chromedp.Run(browsertest.Timeout(t, ctx, 5*time.Second), chromedp.Evaluate[string](`document.readyState + ' ' + location.href + ' ' + document.body.innerText.slice(0, 200)`))
		t.Fatalf("opening %s: %v (page: %q)", url, err, state)
	}
	live := `document.getElementById('conn').textContent === 'live'`
	if err := chromedp.Do(browsertest.Timeout(t, ctx, 20*time.Second), browsertest.Poll(live, 15*time.Second)); err != nil {
		t.Fatalf("%s loaded in %v but its websocket is not live: %v (conn: %q)", url, time.Since(start).Round(time.Millisecond), err,
			browsertest.Eval[string](t, ctx, `document.getElementById('conn').textContent`))
	}
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
