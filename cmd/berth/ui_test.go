package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"berth/convert"
	"berth/internal/kube"
	"berth/internal/kube/kubetest"
	"berth/localenv"

	"k8s.io/apimachinery/pkg/api/meta/testrestmapper"
	"k8s.io/apimachinery/pkg/runtime"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/kubernetes/scheme"
	k8stesting "k8s.io/client-go/testing"
)

// TestServeUIKnowsEveryServiceOnItsFirstPage: `up -d` prints the dashboard
// URL as soon as the background process serves it, so the first page must
// already list every service (and a service page must not be "no such
// service"), even when the cluster is slow to answer.
func TestServeUIKnowsEveryServiceOnItsFirstPage(t *testing.T) {
	dir := t.TempDir()
	compose := "services:\n  api:\n    image: demo/api\n  db:\n    image: postgres:16\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loaded, err := convert.Load(ctx, convert.LoadOptions{Files: []string{filepath.Join(dir, "compose.yaml")}, ProjectName: "t", Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := convert.Convert(loaded.Project, loaded.Options())
	if err != nil {
		t.Fatal(err)
	}
	dyn := dynamicfake.NewSimpleDynamicClient(scheme.Scheme)
	dyn.PrependReactor("get", "*", func(k8stesting.Action) (bool, runtime.Object, error) {
		time.Sleep(300 * time.Millisecond) // a loaded cluster
		return false, nil, nil
	})
	client := &kube.Client{Typed: kubetest.Typed(fake.NewClientset()), Dynamic: dyn, Mapper: testrestmapper.TestOnlyStaticRESTMapper(scheme.Scheme), Namespace: "default"}
	s := &localenv.Session{Loaded: loaded, Bundle: b, Project: b.Project, Namespace: b.Namespace, Pub: localenv.NewPublisher(),
		Cluster: &localenv.Cluster{Client: client}}

	url, err := serveUI(ctx, s, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	base, token, _ := strings.Cut(url, "/?token=")
	for _, path := range []string{"/api/rows", "/services/db"} {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.AddCookie(&http.Cookie{Name: "berth_token", Value: token})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s right after serveUI: HTTP %d %s", path, resp.StatusCode, body)
		}
		if path == "/api/rows" && (!strings.Contains(string(body), `data-service="api"`) || !strings.Contains(string(body), `data-service="db"`)) {
			t.Fatalf("the first overview should list api and db:\n%s", body)
		}
	}
}
