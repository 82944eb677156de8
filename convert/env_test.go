package convert_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"berth/convert"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// convertYAML loads compose text from a temporary project and converts it.
func convertYAML(t *testing.T, compose, env string) (*convert.Bundle, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := convert.Load(context.Background(), convert.LoadOptions{ProjectDir: dir, ProjectName: "t", Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	o := l.Options()
	o.Env = env
	return convert.Convert(l.Project, o)
}

func find[T convert.Object](b *convert.Bundle, name string) T {
	var zero T
	for _, o := range b.Objects {
		if t, ok := o.(T); ok && o.GetName() == name {
			return t
		}
	}
	return zero
}

func TestUnknownEnvironmentListsDeclared(t *testing.T) {
	_, err := convertYAML(t, "x-berth: {environments: {staging: {}}}\nservices: {a: {image: busybox}}\n", "qa")
	if !errors.Is(err, convert.ErrUnknownEnvironment) || !strings.Contains(err.Error(), "local, prod, staging") {
		t.Fatalf("err = %v, want unknown environment listing local, prod, staging", err)
	}
}

func TestInvalidKnobIsAnError(t *testing.T) {
	for _, env := range []string{"expose: ftp", "replicas: many", "defaultCPU: lots", "extends: qa", "colour: blue"} {
		_, err := convertYAML(t, "x-berth: {environments: {qa: {"+env+"}}}\nservices: {a: {image: busybox}}\n", "qa")
		if !errors.Is(err, convert.ErrInvalidProject) {
			t.Errorf("%s: err = %v, want ErrInvalidProject", env, err)
		}
	}
}

const hardeningCompose = `
services:
  db:
    image: postgres:16
    environment: {POSTGRES_PASSWORD: x}
  app:
    image: example/app
    user: "1000"
    cap_add: [NET_BIND_SERVICE]
    depends_on: [db]
    ports: ["127.0.0.1:8080:8080", "7000:7000"]
    deploy:
      replicas: 3
      resources: {limits: {memory: 64M}}
  fs:
    image: example/fuse
    cap_add: [SYS_ADMIN]
  writer:
    image: example/writer
    user: "1000:2000"
    volumes: [data:/data]
volumes:
  data: {}
`

func TestHardeningKeepsRootImagesWorking(t *testing.T) {
	for _, env := range []string{"local", "prod"} {
		b, err := convertYAML(t, hardeningCompose, env)
		if err != nil {
			t.Fatal(err)
		}
		db := find[*appsv1.StatefulSet](b, "db").Spec.Template.Spec
		sc := db.Containers[0].SecurityContext
		if slices.Contains(sc.Capabilities.Drop, "ALL") || !slices.Contains(sc.Capabilities.Drop, "NET_RAW") {
			t.Errorf("%s: postgres drops %v; it must keep CHOWN/SETUID/... and lose NET_RAW", env, sc.Capabilities.Drop)
		}
		if db.SecurityContext.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault || *sc.AllowPrivilegeEscalation {
			t.Errorf("%s: db lacks seccomp RuntimeDefault / allowPrivilegeEscalation false", env)
		}
		app := find[*appsv1.Deployment](b, "app").Spec.Template.Spec
		asc := app.Containers[0].SecurityContext
		if !*asc.RunAsNonRoot || !slices.Equal(asc.Capabilities.Drop, []corev1.Capability{"ALL"}) || !slices.Equal(asc.Capabilities.Add, []corev1.Capability{"NET_BIND_SERVICE"}) {
			t.Errorf("%s: app (uid 1000) security context %+v", env, asc)
		}
		if init := app.InitContainers[0].SecurityContext; init == nil || *init.RunAsUser != 65534 {
			t.Errorf("%s: wait container not run as nobody", env)
		}
		if w := find[*appsv1.StatefulSet](b, "writer").Spec.Template.Spec.SecurityContext; w.FSGroup == nil || *w.FSGroup != 2000 {
			t.Errorf("%s: writer (user 1000:2000, a volume) needs fsGroup 2000, has %+v", env, w)
		}
		if fs := find[*appsv1.Deployment](b, "fs").Spec.Template.Spec.Containers[0].SecurityContext; fs.AllowPrivilegeEscalation != nil {
			t.Errorf("%s: SYS_ADMIN container got allowPrivilegeEscalation (the API server refuses it)", env)
		}
	}
}

func TestProdKnobs(t *testing.T) {
	b, err := convertYAML(t, hardeningCompose, "prod")
	if err != nil {
		t.Fatal(err)
	}
	app := find[*appsv1.Deployment](b, "app")
	req := app.Spec.Template.Spec.Containers[0].Resources.Requests
	if req.Memory().String() != "64Mi" || req.Cpu().String() != "100m" {
		t.Errorf("requests = %v, want memory capped at the 64M limit and the default 100m cpu", req)
	}
	if *app.Spec.Replicas != 3 || find[*corev1.Service](b, "app-public") == nil {
		t.Errorf("prod: replicas %d, app-public %v", *app.Spec.Replicas, find[*corev1.Service](b, "app-public"))
	}
	lb := find[*corev1.Service](b, "app-public")
	if len(lb.Spec.Ports) != 1 || lb.Spec.Ports[0].Port != 7000 || lb.Spec.Type != corev1.ServiceTypeLoadBalancer {
		t.Errorf("app-public ports %v: want only 7000 (8080 is bound to loopback)", lb.Spec.Ports)
	}
	local, err := convertYAML(t, hardeningCompose, "local")
	if err != nil {
		t.Fatal(err)
	}
	if la := find[*appsv1.Deployment](local, "app"); *la.Spec.Replicas != 1 || la.Spec.Template.Spec.Containers[0].Resources.Requests != nil {
		t.Errorf("local: want 1 replica and no requests")
	}
	if find[*corev1.Service](local, "app-public") != nil {
		t.Errorf("local must not expose a LoadBalancer")
	}
}
