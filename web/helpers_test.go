package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

type testEnv struct {
	src *fakeSource
	srv *Server
	ts  *httptest.Server
}

// startServer runs a dashboard for src on a loopback httptest server.
func startServer(t *testing.T, src *fakeSource, o Options) *testEnv {
	t.Helper()
	o.Source = src
	if o.Token == "" {
		o.Token = "test-token"
	}
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	stop := srv.Start()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		stop()
		ts.Close()
	})
	return &testEnv{src: src, srv: srv, ts: ts}
}

func (e *testEnv) wsURL(query string) string {
	return "ws" + strings.TrimPrefix(e.ts.URL, "http") + "/ws?" + query
}

// dial opens a websocket with the session cookie and a same-origin header.
func (e *testEnv) dial(t *testing.T, query string) *websocket.Conn {
	t.Helper()
	h := http.Header{}
	h.Set("Cookie", cookieName+"="+e.srv.Token())
	h.Set("Origin", e.ts.URL)
	c, resp, err := websocket.DefaultDialer.Dial(e.wsURL(query), h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (HTTP %d)", err, status)
	}
	return c
}

// get fetches path with the session cookie.
func (e *testEnv) get(t *testing.T, path string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: e.srv.Token()})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
