package promote

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"text/template"
	"time"

	"berth/convert"
	"berth/internal/kube"
	"berth/internal/testcluster"
	"berth/store"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/random"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
)

// e2e is one promotion scenario against the test control plane: a compose
// project in a temporary directory, a store in a temporary XDG_STATE_HOME,
// an in-process registry standing in for every registry, and a fake local
// docker holding the image `berth up` would have built.
type e2e struct {
	t          testing.TB
	kubeconfig string
	context    string
	namespace  string
	dir        string
	st         *store.Store
	tr         http.RoundTripper
	docker     fakeDocker
	client     *kube.Client
	out        bytes.Buffer
}

// composeVars vary the compose file between promotions.
type composeVars struct {
	LogLevel string // web's LOG_LEVEL
	APIFlag  string // api's FEATURE value (a change rolls api blue-green)
	WithDB   bool
	Services int // extra generated services (benchmark)
}

const composeTemplate = `name: shop
x-berth:
  environments:
    prod:
      expose: loadbalancer
      logSink: none
      backup: {target: none}
services:
  web:
    image: registry.test/shop/web:1.0
    ports: ["8080:80"]
    environment:
      LOG_LEVEL: {{.LogLevel}}
      API_TOKEN: ${API_TOKEN:-not-a-real-token}
    healthcheck:
      test: ["CMD", "true"]
{{- if .WithDB}}
    depends_on:
      db: {condition: service_healthy}
{{- end}}
  api:
    image: registry.test/shop/api:1.0
    x-berth: {strategy: blue-green}
    expose: ["9000"]
    environment:
      FEATURE: "{{.APIFlag}}"
    healthcheck:
      test: ["CMD", "true"]
  worker:
    build: ./worker
{{- if .WithDB}}
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: not-a-real-password
    volumes: [data:/var/lib/postgresql/data]
    healthcheck:
      test: ["CMD", "pg_isready"]
{{- end}}
{{- range $i := seq .Services}}
  svc{{$i}}:
    image: registry.test/shop/web:1.0
    expose: ["80"]
    environment:
      INDEX: "{{$i}}"
    healthcheck:
      test: ["CMD", "true"]
{{- end}}
{{- if .WithDB}}
volumes:
  data: {}
{{- end}}
`

func newE2E(t testing.TB) *e2e {
	t.Helper()
	kc := testcluster.ControlPlane(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	st, err := store.OpenDefault(context.Background(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	cfg, err := clientcmd.LoadFromFile(kc)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	e := &e2e{t: t, kubeconfig: kc, context: cfg.CurrentContext, namespace: "promote-" + hex.EncodeToString(b),
		dir: t.TempDir(), st: st, tr: testRegistry(t), docker: fakeDocker{}}
	if e.client, err = kube.NewClient(kc, e.context); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = e.client.Typed.CoreV1().Namespaces().Delete(context.Background(), e.namespace, metav1.DeleteOptions{})
	})
	if err := os.MkdirAll(filepath.Join(e.dir, "worker"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.dir, "worker", "Dockerfile"), []byte("FROM scratch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := random.Image(1024, 2)
	if err != nil {
		t.Fatal(err)
	}
	e.docker["shop-worker:latest"] = img
	return e
}

// write writes the compose file and records a successful local run of it,
// as `berth up` would, unless untested.
func (e *e2e) write(v composeVars, untested bool) {
	e.t.Helper()
	tmpl := template.Must(template.New("c").Funcs(template.FuncMap{"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	}}).Parse(composeTemplate))
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.dir, "compose.yaml"), buf.Bytes(), 0o644); err != nil {
		e.t.Fatal(err)
	}
	if untested {
		return
	}
	ctx := context.Background()
	loaded, err := convert.Load(ctx, e.loadOptions())
	if err != nil {
		e.t.Fatal(err)
	}
	id, err := e.st.StartRun(ctx, store.NewRun{Project: "shop", ComposeHash: loaded.ComposeHash, GitCommit: GitCommit(e.dir), Services: len(loaded.Project.Services)})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.FinishRun(ctx, id, store.RunSucceeded, true); err != nil {
		e.t.Fatal(err)
	}
}

func (e *e2e) loadOptions() convert.LoadOptions {
	return convert.LoadOptions{Files: []string{filepath.Join(e.dir, "compose.yaml")}}
}

func (e *e2e) options() Options {
	return Options{
		Load: e.loadOptions(), Kubeconfig: e.kubeconfig, Context: e.context, Namespace: e.namespace,
		Registry: "registry.test/shop", Store: e.st, Out: &e.out, Timeout: 3 * time.Minute, // generous: a loaded machine slows kwok
		Confirm: func(*Plan) (bool, error) { return true, nil },
		Images:  e.docker, Keychain: authn.DefaultKeychain, Transport: e.tr,
	}
}

// seedImages puts every public image the manifests name into the registry.
func (e *e2e) seedImages() {
	e.t.Helper()
	o := e.options()
	o.DryRun, o.Allow = true, Allow{Untested: true, Unpinned: true}
	p, err := MakePlan(context.Background(), &o)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, img := range p.Images {
		if img.Source == "" {
			putImage(e.t, e.tr, img.Rendered)
		}
	}
}

// promote runs one promotion and logs its output.
func (e *e2e) promote(edit func(*Options)) (*Result, error) {
	e.t.Helper()
	o := e.options()
	if edit != nil {
		edit(&o)
	}
	e.out.Reset()
	start := time.Now()
	res, err := Promote(context.Background(), o)
	e.t.Logf("promotion output (%s):\n%s", time.Since(start).Round(10*time.Millisecond), e.out.String())
	return res, err
}

func (e *e2e) liveAnnotations(kind, name string) map[string]string {
	e.t.Helper()
	ctx := context.Background()
	var meta metav1.Object
	var err error
	switch kind {
	case "Deployment":
		meta, err = e.client.Typed.AppsV1().Deployments(e.namespace).Get(ctx, name, metav1.GetOptions{})
	case "Service":
		meta, err = e.client.Typed.CoreV1().Services(e.namespace).Get(ctx, name, metav1.GetOptions{})
	default:
		e.t.Fatalf("liveAnnotations: kind %s", kind)
	}
	if err != nil {
		e.t.Fatalf("%s %s: %v", kind, name, err)
	}
	return meta.GetAnnotations()
}

func (e *e2e) deployment(name string) *appsv1.Deployment {
	e.t.Helper()
	d, err := e.client.Typed.AppsV1().Deployments(e.namespace).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		e.t.Fatalf("Deployment %s: %v", name, err)
	}
	return d
}

func (e *e2e) service(name string) *corev1.Service {
	e.t.Helper()
	s, err := e.client.Typed.CoreV1().Services(e.namespace).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		e.t.Fatalf("Service %s: %v", name, err)
	}
	return s
}

func envOf(d *appsv1.Deployment, name string) string {
	for _, ev := range d.Spec.Template.Spec.Containers[0].Env {
		if ev.Name == name {
			return ev.Value
		}
	}
	return ""
}
