// Package browsertest starts the real Chromium that the dashboard's browser
// tests drive (web's, on a fake source, and cmd/berth's, on the real demo),
// so both start it the same way: headless, its own profile, and the
// background-networking features off (these machines refuse their
// connections, many at a time).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path finds Chromium ($BERTH_CHROMIUM, else the usual paths). Without it t
// skips loudly (what names the test), unless BERTH_E2E=1 demands the browser
// tests, when it fails.
func Path(t testing.TB, what string) string {
	t.Helper()
	if p := os.Getenv("BERTH_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("BERTH_E2E") == "1" {
		t.Fatal("BERTH_E2E=1 but no Chromium found: apt-get install -y chromium (or set BERTH_CHROMIUM)")
	}
	t.Skipf("SKIPPING %s: no Chromium (apt-get install -y chromium, or set BERTH_CHROMIUM)", what)
	return ""
}

// Start starts a fresh headless Chromium at path, with its own user-data-dir,
// and returns a tab context; both end with the test.
func Start(t testing.TB, path string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1400, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser now, without a timeout
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// Timeout bounds one browser step; the context ends with the test.
func Timeout(t testing.TB, ctx context.Context, d time.Duration) context.Context {
	c, cancel := context.WithTimeout(ctx, d)
	t.Cleanup(cancel)
	return c
}

// Poll waits until the JavaScript expression is true in the page.
func Poll(expr string, timeout time.Duration) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(timeout))(ctx, tg)
		return chromedp.Void{}, err
	}
}

// Eval evaluates expr in the page (awaiting a promise) and fails t when it
// cannot.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(Timeout(t, ctx, 10*time.Second), chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// Screenshot saves the page as name.png in $BERTH_ARTIFACTS (which CI
// keeps), or in a temporary folder when it is unset.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("BERTH_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(Timeout(t, ctx, 20*time.Second), chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
