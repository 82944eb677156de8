package dbbackup

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"berth/convert"
	"berth/internal/kube"
	"berth/internal/testcluster"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// exporterCompose is a postgres whose environment scrapes metrics, so berth
// gives it the postgres exporter sidecar.
const exporterCompose = `services:
  db:
    image: postgres:15
    environment: {POSTGRES_USER: app, POSTGRES_PASSWORD: s3cret, POSTGRES_DB: app}
    volumes: ["pgdata:/var/lib/postgresql/data"]
    healthcheck: {test: ["CMD-SHELL", "pg_isready -U app -d app"], interval: 2s}
volumes: {pgdata: {}}
x-berth: {environments: {local: {metrics: annotations}}}
`

// TestPostgresExporterReportsUp runs the rendered postgres with its exporter
// sidecar and reads `pg_up 1` from the exporter's port: the exporter logs in
// over TCP, where the database demands a password, with the credentials it
// takes from the database's own Secret (the references as rendered).
func TestPostgresExporterReportsUp(t *testing.T) {
	kubeconfig := testcluster.Kubeconfig(t)
	ns := testcluster.Namespace(t, kubeconfig, "exporter")
	objs, _ := renderProject(t, exporterCompose, ns)
	exporter := exporterOf(t, objs)
	for _, image := range []string{"postgres:15", exporter.Image} {
		if err := loadImage(image); err != nil {
			skipOrFail(t, err.Error())
		}
	}
	k, err := kube.NewClient(kubeconfig, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	port := int(exporter.Ports[0].ContainerPort)
	applyAndWait(ctx, t, k, ns, objs)
	pod, err := k.ReadyPod(ctx, ns, convert.LabelName+"=db")
	if err != nil {
		t.Fatal(err)
	}
	// Not vacuous: a wrong password is refused on the exporter's path.
	wrong := []string{"sh", "-c", `PGPASSWORD=wrong psql -h localhost -U app -d postgres -tAc 'select 1'`}
	if err := k.Exec(ctx, ns, pod.Name, "db", wrong, kube.ExecOptions{Stdout: io.Discard, Stderr: io.Discard}); err == nil {
		t.Fatal("postgres accepts a wrong password on localhost over TCP: pg_up 1 would prove nothing")
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fwd := make(chan error, 1)
	go func() { fwd <- k.ForwardListener(ctx, ln, ns, convert.LabelName+"=db", port) }()
	url := "http://" + ln.Addr().String() + "/metrics"
	var last string
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Second) {
		if last, err = metricLines(ctx, url, "pg_up"); err == nil && strings.Contains(last, "pg_up 1") {
			t.Logf("%s (container %s, image %s): %s", url, exporter.Name, exporter.Image, last)
			cancel()
			if err := <-fwd; err != nil {
				t.Errorf("port-forward: %v", err)
			}
			return
		}
	}
	logs, _ := k.Typed.CoreV1().Pods(ns).GetLogs(pod.Name, &corev1.PodLogOptions{Container: exporter.Name}).DoRaw(context.Background())
	t.Fatalf("the exporter does not report pg_up 1 on port %d (last: %q, %v); its logs:\n%s", port, last, err, tail(string(logs), 20))
}

// exporterOf returns the exporter sidecar of the rendered StatefulSet after
// checking that its credentials are the database container's own Secret
// references, not copied values.
func exporterOf(t *testing.T, objs []runtime.Object) corev1.Container {
	t.Helper()
	var db, ex *corev1.Container
	for _, o := range objs {
		if sts, ok := o.(*appsv1.StatefulSet); ok {
			for i, ct := range sts.Spec.Template.Spec.Containers {
				switch ct.Name {
				case "db":
					db = &sts.Spec.Template.Spec.Containers[i]
				case "exporter":
					ex = &sts.Spec.Template.Spec.Containers[i]
				}
			}
		}
	}
	if db == nil || ex == nil || len(ex.Ports) == 0 {
		t.Fatalf("no db container with an exporter sidecar with a port rendered (db %v, exporter %+v)", db != nil, ex)
	}
	for to, from := range map[string]string{"DATA_SOURCE_USER": "POSTGRES_USER", "DATA_SOURCE_PASS": "POSTGRES_PASSWORD"} {
		got, want := envVar(*ex, to), envVar(*db, from)
		if got == nil || want == nil || !reflect.DeepEqual(got.ValueFrom, want.ValueFrom) || got.Value != want.Value {
			t.Errorf("exporter %s = %+v, want the db's %s: %+v", to, got, from, want)
		}
	}
	if pass := envVar(*ex, "DATA_SOURCE_PASS"); pass == nil || pass.Value != "" || pass.ValueFrom == nil || pass.ValueFrom.SecretKeyRef == nil {
		t.Fatalf("the exporter's password is not a Secret reference: %+v", pass)
	}
	return *ex
}

func envVar(ct corev1.Container, name string) *corev1.EnvVar {
	for i := range ct.Env {
		if ct.Env[i].Name == name {
			return &ct.Env[i]
		}
	}
	return nil
}

// metricLines GETs a Prometheus text endpoint and returns the lines of
// metric (without HELP and TYPE comments).
func metricLines(ctx context.Context, url, metric string) (string, error) {
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", errors.New(resp.Status)
	}
	var lines []string
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, metric+" ") || strings.HasPrefix(l, metric+"{") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "; "), sc.Err()
}
