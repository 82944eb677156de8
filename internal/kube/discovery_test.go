package kube

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"

	"berth/internal/kube/typed"
)

// discoveryServer serves the discovery documents in docs (by path), 404 for
// any other path and 503 for paths in down, counting requests per path.
type discoveryServer struct {
	mu   sync.Mutex
	docs map[string]any
	down map[string]bool
	hits map[string]int
}

func (d *discoveryServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hits[r.URL.Path]++
	if d.down[r.URL.Path] {
		http.Error(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","code":503}`, http.StatusServiceUnavailable)
		return
	}
	doc, ok := d.docs[r.URL.Path]
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(doc)
}

func testMapper(t *testing.T, d *discoveryServer) *discoveryMapper {
	t.Helper()
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	cs, err := typed.NewForConfig(&rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return newDiscoveryMapper(cs.CoreV1().RESTClient())
}

func widgets(kinds ...string) *metav1.APIResourceList {
	l := &metav1.APIResourceList{GroupVersion: "example.com/v1"}
	for _, k := range kinds {
		l.APIResources = append(l.APIResources, metav1.APIResource{Name: "widgets", Kind: k, Namespaced: true})
	}
	return l
}

// TestDiscoveryMapperCachesUntilReset: a kind missing from a cached list is
// found after Reset (a CRD installed meanwhile), and each list is read once.
func TestDiscoveryMapperCachesUntilReset(t *testing.T) {
	d := &discoveryServer{hits: map[string]int{}, down: map[string]bool{}, docs: map[string]any{
		"/apis/example.com/v1": widgets(),
		"/apis/example.com":    &metav1.APIGroup{Name: "example.com", PreferredVersion: metav1.GroupVersionForDiscovery{Version: "v1"}},
	}}
	m := testMapper(t, d)
	gk := schema.GroupKind{Group: "example.com", Kind: "Widget"}
	for range 3 {
		if _, err := m.RESTMapping(gk, "v1"); !meta.IsNoMatchError(err) {
			t.Fatalf("before install: %v, want no match", err)
		}
	}
	if n := d.hits["/apis/example.com/v1"]; n != 1 {
		t.Fatalf("the list was read %d times, want once", n)
	}
	d.mu.Lock()
	d.docs["/apis/example.com/v1"] = widgets("Widget")
	d.mu.Unlock()
	if _, err := m.RESTMapping(gk, "v1"); !meta.IsNoMatchError(err) {
		t.Fatalf("cached list still answers: %v", err)
	}
	m.Reset()
	got, err := m.RESTMapping(gk)
	if err != nil || got.Resource.Resource != "widgets" || got.GroupVersionKind.Version != "v1" {
		t.Fatalf("after reset, preferred version: %+v %v", got, err)
	}
}

// TestDiscoveryMapperReportsServerErrors: a group-version the server cannot
// list (an aggregated API that is down) is an error, not "no such kind".
func TestDiscoveryMapperReportsServerErrors(t *testing.T) {
	d := &discoveryServer{hits: map[string]int{}, docs: map[string]any{},
		down: map[string]bool{"/apis/metrics.k8s.io/v1beta1": true}}
	m := testMapper(t, d)
	_, err := m.RESTMapping(schema.GroupKind{Group: "metrics.k8s.io", Kind: "PodMetrics"}, "v1beta1")
	if err == nil || meta.IsNoMatchError(err) {
		t.Fatalf("got %v, want the server's error", err)
	}
	if _, err := m.RESTMapping(schema.GroupKind{Group: "absent.example", Kind: "Thing"}); !meta.IsNoMatchError(err) {
		t.Fatalf("unserved group: %v, want no match", err)
	}
}

// TestDiscoveryMapperParallel: apply maps kinds from several goroutines at
// once, and a Reset may come meanwhile (run it with -race).
func TestDiscoveryMapperParallel(t *testing.T) {
	d := &discoveryServer{hits: map[string]int{}, down: map[string]bool{}, docs: map[string]any{
		"/apis/example.com/v1": widgets("Widget"),
	}}
	m := testMapper(t, d)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if i == 0 {
					m.Reset()
				}
				if _, err := m.RESTMapping(schema.GroupKind{Group: "example.com", Kind: "Widget"}, "v1"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
