package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestWrongTokenGetsNothing(t *testing.T) {
	env := startServer(t, newFakeSource(), Options{Logs: &fakeLogs{}})
	paths := []string{"/", "/services/api", "/logs", "/topology", "/history", "/api/snapshot", "/api/rows", "/api/logs?service=api", "/api/logs/download"}
	for _, p := range paths {
		for _, auth := range []string{"none", "query", "cookie"} {
			req, _ := http.NewRequest(http.MethodGet, env.ts.URL+p, nil)
			switch auth {
			case "query":
				q := req.URL.Query()
				q.Set("token", "wrong")
				req.URL.RawQuery = q.Encode()
			case "cookie":
				req.AddCookie(&http.Cookie{Name: cookieName, Value: "wrong"})
			}
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s with %s token: HTTP %d, want 401", p, auth, resp.StatusCode)
			}
			if strings.Contains(string(body), "demo/api") || strings.Contains(string(body), "api") && strings.Contains(string(body), "ready") {
				t.Errorf("%s with %s token leaked data: %.200s", p, auth, body)
			}
		}
	}
	// The websocket refuses a wrong cookie before upgrading.
	h := http.Header{}
	h.Set("Cookie", cookieName+"=wrong")
	h.Set("Origin", env.ts.URL)
	_, resp, err := websocket.DefaultDialer.Dial(env.wsURL("logs=1"), h)
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("websocket with wrong token: err=%v resp=%v, want 401", err, resp)
	}
	if env.srv.Hub().Clients() != 0 {
		t.Fatal("a client without the token was registered")
	}
}

func TestTokenInURLBecomesCookie(t *testing.T) {
	env := startServer(t, newFakeSource(), Options{})
	resp, err := noRedirect.Get(env.ts.URL + "/topology?token=" + env.srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/topology" {
		t.Fatalf("HTTP %d to %q, want 303 to /topology", resp.StatusCode, resp.Header.Get("Location"))
	}
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == cookieName {
			c = k
		}
	}
	if c == nil || c.Value != env.srv.Token() || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie %+v, want HttpOnly SameSite=Strict with the token", c)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("CSP %q", csp)
	}
}

func TestWebsocketChecksOrigin(t *testing.T) {
	env := startServer(t, newFakeSource(), Options{})
	h := http.Header{}
	h.Set("Cookie", cookieName+"="+env.srv.Token())
	h.Set("Origin", "http://evil.example")
	_, resp, err := websocket.DefaultDialer.Dial(env.wsURL(""), h)
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin websocket: err=%v resp=%v, want 403", err, resp)
	}
	waitFor(t, 0, "no client left registered", func() bool { return env.srv.Hub().Clients() == 0 })
}

func TestHostHeaderMustBeLoopback(t *testing.T) {
	env := startServer(t, newFakeSource(), Options{})
	req, _ := http.NewRequest(http.MethodGet, env.ts.URL+"/?token="+env.srv.Token(), nil)
	req.Host = "rebind.evil.example"
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign Host: HTTP %d, want 403", resp.StatusCode)
	}
}

func TestActions(t *testing.T) {
	env := startServer(t, newFakeSource(), Options{})
	post := func(path, origin string, withCookie bool) int {
		req, _ := http.NewRequest(http.MethodPost, env.ts.URL+path, nil)
		if withCookie {
			req.AddCookie(&http.Cookie{Name: cookieName, Value: env.srv.Token()})
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	cases := []struct {
		path, origin string
		cookie       bool
		want         int
	}{
		{"/api/services/api/restart", env.ts.URL, true, http.StatusOK},
		{"/api/services/worker/rebuild", "", true, http.StatusOK},
		{"/api/services/api/restart", env.ts.URL, false, http.StatusUnauthorized},
		{"/api/services/api/restart", "http://evil.example", true, http.StatusForbidden},
		{"/api/services/nope/restart", env.ts.URL, true, http.StatusNotFound},
		{"/api/services/api/delete", env.ts.URL, true, http.StatusNotFound},
	}
	for _, c := range cases {
		if got := post(c.path, c.origin, c.cookie); got != c.want {
			t.Errorf("POST %s origin=%q cookie=%v: HTTP %d, want %d", c.path, c.origin, c.cookie, got, c.want)
		}
	}
	if got := strings.Join(env.src.Actions(), ","); got != "restart api,rebuild worker" {
		t.Fatalf("actions run: %q", got)
	}
	if resp := env.get(t, "/api/services/api/restart"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET action: HTTP %d, want 405", resp.StatusCode)
	}
}
