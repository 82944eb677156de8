package localenv

import (
	"strings"
	"testing"
	"time"
)

// TestStatusEventsKeepWhatIsKnown: a status the pipeline publishes knows
// only a state, yet carries the image, replicas, URLs and waits-on already
// known; Monitor's cluster view does not override building/loading until
// the service is applied, and before the first apply a service the cluster
// lacks is starting, not stopped.
func TestStatusEventsKeepWhatIsKnown(t *testing.T) {
	l, b := loadBundle(t, `services:
  api:
    build: .
    image: demo/api
    ports: ["8080:80"]
    depends_on: [db]
  db:
    image: postgres:16
`, nil)
	s := &Session{Loaded: l, Bundle: b, Project: b.Project, Namespace: b.Namespace, Pub: NewPublisher()}
	s.snap.pending = true
	ch, unsubscribe := s.Pub.Subscribe(16)
	defer unsubscribe()

	s.status("api", StateBuilding, "building demo/api")
	st := (<-ch).Status
	if st.State != StateBuilding || !strings.HasPrefix(st.Image, "demo/api") || len(st.URLs) != 1 || strings.Join(st.DependsOn, ",") != "db" {
		t.Fatalf("first building status lacks what the conversion knows: %+v", st)
	}

	cur, _ := s.snap.set(ServiceStatus{Service: "api", State: StateReady, Ready: 2, Desired: 2, Image: "demo/api:old", URLs: st.URLs, DependsOn: st.DependsOn})
	if cur.State != StateBuilding || cur.Ready != 2 {
		t.Fatalf("while building, the cluster's old pods must not make it ready: %+v", cur)
	}
	if cur, _ := s.snap.set(ServiceStatus{Service: "db", State: StateStopped, Reason: "not running"}); cur.State != StateStarting {
		t.Fatalf("before the first apply a missing service is starting: %+v", cur)
	}

	s.status("api", StateLoading, "loading demo/api:new")
	st = (<-ch).Status
	if st.State != StateLoading || st.Image != "demo/api:old" || st.Ready != 2 || st.Desired != 2 || len(st.URLs) != 1 {
		t.Fatalf("a partial status blanked known fields: %+v", st)
	}

	built := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s.snap.built("api", built)
	s.snap.applied()
	cur, changed := s.snap.set(ServiceStatus{Service: "api", State: StateReady, Ready: 2, Desired: 2, Image: "demo/api:new"})
	if !changed || cur.State != StateReady || !cur.BuiltAt.Equal(built) {
		t.Fatalf("after apply the cluster's view holds, with the build time: %+v changed=%v", cur, changed)
	}
	if cur, _ := s.snap.set(ServiceStatus{Service: "db", State: StateStopped}); cur.State != StateStopped {
		t.Fatalf("after apply a missing service is stopped: %+v", cur)
	}
}
