package web

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"berth/internal/browsertest"
	"berth/localenv"
)

// TestBrowserStatusUpdatesEveryField: a status event updates build time,
// published URLs and waits-on live, not only state and replicas, and a
// Kubernetes event shows on the service page's events list.
func TestBrowserStatusUpdatesEveryField(t *testing.T) {
	ctx := newBrowser(t)
	src := newFakeSource()
	env := startServer(t, src, Options{History: fakeHistory{}})
	open(t, ctx, env, "/")
	st := localenv.ServiceStatus{Service: "web", State: localenv.StateStarting, Ready: 0, Desired: 1, Image: "demo/web:2",
		BuiltAt: testEpoch.Add(time.Hour), URLs: []string{"http://localhost:3001", "localhost:5432"}, DependsOn: []string{"api", "db"}}
	src.Publish(localenv.Event{Service: "web", Kind: localenv.EventStatus, Status: &st})
	row := `document.querySelector('tr[data-service="web"] [data-field=%s]')`
	err := chromedp.Do(browsertest.Timeout(t, ctx, 5*time.Second), voidPoll(
		fmt.Sprintf(row, "built")+`.textContent === '2026-11-23 11:00:00' &&
		 `+fmt.Sprintf(row, "urls")+`.textContent === 'http://localhost:3001localhost:5432' &&
		 `+fmt.Sprintf(row, "urls")+`.querySelector('a').href === 'http://localhost:3001/' &&
		 !`+fmt.Sprintf(row, "urls")+`.querySelectorAll('a')[1].hasAttribute('href') &&
		 `+fmt.Sprintf(row, "waits")+`.textContent === 'api, db' &&
		 `+fmt.Sprintf(row, "waits")+`.querySelector('a').getAttribute('href') === '/services/api' &&
		 `+fmt.Sprintf(row, "image")+`.textContent === 'demo/web:2'`))
	if err != nil {
		t.Fatalf("overview row not updated live: %v", err)
	}
	browsertest.Screenshot(t, ctx, "dashboard-"+"overview-live")

	open(t, ctx, env, "/services/api")
	api := localenv.ServiceStatus{Service: "api", State: localenv.StateReady, Ready: 2, Desired: 2, Image: "demo/api:3f2a1c", URLs: []string{"http://localhost:8081"}}
	src.Publish(localenv.Event{Service: "api", Kind: localenv.EventStatus, Status: &api})
	src.Publish(localenv.Event{Service: "api", Kind: localenv.EventK8s, Message: "Warning BackOff: Back-off restarting failed container"})
	err = chromedp.Do(browsertest.Timeout(t, ctx, 5*time.Second), voidPoll(
		`document.querySelector('.svc-head [data-field=urls]').textContent === 'http://localhost:8081' &&
		 [...document.querySelectorAll('#event-rows tr.kind-k8s td')].some(td => td.textContent === 'Warning BackOff: Back-off restarting failed container')`))
	if err != nil {
		t.Fatalf("service page not updated live: %v", err)
	}
	browsertest.Screenshot(t, ctx, "dashboard-"+"service-k8s-event")
}
