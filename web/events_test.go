package web

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"berth/localenv"
)

// k8sHistory is a store whose service events include a Kubernetes event.
type k8sHistory struct{ fakeHistory }

func (k8sHistory) Events(_ context.Context, _ string, service string, _ int) ([]localenv.Event, error) {
	return []localenv.Event{{Time: testEpoch, Service: service, Kind: localenv.EventK8s, Message: "Warning BackOff: Back-off restarting failed container"}}, nil
}

// TestServicePageListsK8sEvents: Kubernetes events are on the service
// page, from the store, and from the hub when there is no store.
func TestServicePageListsK8sEvents(t *testing.T) {
	for _, c := range []struct {
		name string
		hist History
	}{{"store", k8sHistory{}}, {"no store", nil}} {
		t.Run(c.name, func(t *testing.T) {
			src := newFakeSource()
			env := startServer(t, src, Options{History: c.hist})
			if c.hist == nil {
				src.Publish(localenv.Event{Service: "api", Kind: localenv.EventK8s, Message: "Warning BackOff: Back-off restarting failed container"})
				waitFor(t, 2*time.Second, "the hub to see the event", func() bool {
					e, ok := env.srv.Hub().LastEvent("api")
					return ok && e.Kind == localenv.EventK8s
				})
			}
			body, _ := io.ReadAll(env.get(t, "/services/api").Body)
			for _, want := range []string{`<tr class="kind-k8s">`, "Warning BackOff: Back-off restarting failed container"} {
				if !strings.Contains(string(body), want) {
					t.Errorf("service page lacks %q", want)
				}
			}
		})
	}
}

// TestHubSendsK8sEventsToServicePage: a client following one service's
// logs still gets every non-log event, Kubernetes ones included.
func TestHubSendsK8sEventsToServicePage(t *testing.T) {
	src := newFakeSource()
	env := startServer(t, src, Options{})
	c := env.dial(t, "logs=1&service=api")
	defer c.Close()
	waitFor(t, 2*time.Second, "the client to register", func() bool { return env.srv.Hub().Clients() == 1 })
	src.Publish(localenv.Event{Service: "api", Kind: localenv.EventK8s, Message: "Normal Pulled: image present"})
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, data, err := c.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"kind":"k8s"`) || !strings.Contains(string(data), "Normal Pulled") {
		t.Fatalf("got %s", data)
	}
}

// TestEncodeStatusCarriesEveryField: a status message holds what the
// overview shows, the build time formatted as the server renders it.
func TestEncodeStatusCarriesEveryField(t *testing.T) {
	st := localenv.ServiceStatus{Service: "api", State: localenv.StateBuilding, Ready: 1, Desired: 2, Image: "demo/api:1",
		BuiltAt: testEpoch, URLs: []string{"http://localhost:8080"}, DependsOn: []string{"db"}}
	data, err := encodeEvent(localenv.Event{Service: "api", Kind: localenv.EventStatus, Status: &st}, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Built  string                 `json:"built"`
		Status localenv.ServiceStatus `json:"status"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Built != formatTime(testEpoch) || got.Built == "" || got.Status.Image != "demo/api:1" || got.Status.URLs[0] != "http://localhost:8080" || got.Status.DependsOn[0] != "db" {
		t.Fatalf("status message %s", data)
	}
	st.BuiltAt = time.Time{}
	data, _ = encodeEvent(localenv.Event{Service: "api", Kind: localenv.EventStatus, Status: &st}, 1)
	if strings.Contains(string(data), `"built"`) {
		t.Fatalf("an image never built has no build time: %s", data)
	}
}
