package localenv

import (
	"context"
	"strings"
	"testing"
	"time"

	"berth/internal/kube"
	"berth/internal/kube/kubetest"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta/testrestmapper"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/kubernetes/scheme"
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

// TestRefreshStatusFillsTheSnapshotAtOnce: the dashboard's first page reads
// Snapshot right after `up -d` prints its URL; RefreshStatus fills it from
// the cluster synchronously, for every service, without waiting for Monitor.
func TestRefreshStatusFillsTheSnapshotAtOnce(t *testing.T) {
	l, b := loadBundle(t, eventsCompose, nil)
	one := int32(1)
	api := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Namespace: b.Namespace, Name: "api", Generation: 1},
		Spec:       appsv1.DeploymentSpec{Replicas: &one},
		Status: appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 1, UpdatedReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1,
			Conditions: []appsv1.DeploymentCondition{{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue}}},
	}
	client := &kube.Client{Typed: kubetest.Typed(fake.NewClientset()), Dynamic: dynamicfake.NewSimpleDynamicClient(scheme.Scheme, api),
		Mapper: testrestmapper.TestOnlyStaticRESTMapper(scheme.Scheme), Namespace: "default"}
	s := &Session{Loaded: l, Bundle: b, Project: b.Project, Namespace: b.Namespace, Pub: NewPublisher(), Cluster: &Cluster{Client: client}}
	if got := s.Snapshot(); len(got) != 0 {
		t.Fatalf("snapshot before any read: %+v", got)
	}
	if err := s.RefreshStatus(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range s.Snapshot() {
		got = append(got, st.Service+"="+string(st.State))
	}
	if want := "api=ready,api-gateway=stopped,db=stopped"; strings.Join(got, ",") != want {
		t.Fatalf("snapshot after RefreshStatus: %v, want %s", got, want)
	}
}
