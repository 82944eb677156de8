package convert

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

const metricsCompose = `services:
  api:
    image: example/api
    ports: ["8080:8080"]
    x-berth: {metrics: {port: 9100, path: /stats}}
  db:
    image: postgres:15
    environment: {POSTGRES_USER: app, POSTGRES_PASSWORD: pw}
x-berth:
  environments:
    prod: {metrics: %s}
`

func TestMetricsByStack(t *testing.T) {
	cases := []struct {
		stack          string
		wantAnnotation bool
		wantMonitor    bool
		wantExporter   bool
	}{
		{"none", false, false, false},
		{"annotations", true, false, true},
		{"prometheus-operator", true, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.stack, func(t *testing.T) {
			b := convertYAML(t, sprintf(metricsCompose, tc.stack), "prod")
			api := findObject[*appsv1.Deployment](b, "Deployment", "api")
			if got := api.Spec.Template.Annotations[AnnotationScrapePort] == "9100"; got != tc.wantAnnotation {
				t.Errorf("scrape annotation on port 9100: %v, want %v (%v)", got, tc.wantAnnotation, api.Spec.Template.Annotations)
			}
			if tc.wantAnnotation && api.Spec.Template.Annotations[AnnotationScrapePath] != "/stats" {
				t.Errorf("scrape path = %q", api.Spec.Template.Annotations[AnnotationScrapePath])
			}
			sm := findObject[*unstructured.Unstructured](b, "ServiceMonitor", "api")
			if (sm != nil) != tc.wantMonitor {
				t.Errorf("ServiceMonitor present: %v, want %v", sm != nil, tc.wantMonitor)
			}
			if sm != nil {
				eps, _, _ := unstructured.NestedSlice(sm.Object, "spec", "endpoints")
				if len(eps) != 1 || eps[0].(map[string]any)["port"] != "metrics" {
					t.Errorf("ServiceMonitor endpoints = %v", eps)
				}
				svc := findObject[*corev1.Service](b, "Service", "api")
				if svc.Labels[LabelMetrics] != "true" || !hasServicePort(svc, "metrics", 9100) {
					t.Errorf("Service api lacks the metrics port/label: %+v", svc.Spec.Ports)
				}
			}
			db := findObject[*appsv1.StatefulSet](b, "StatefulSet", "db")
			ex := containerNamed(&db.Spec.Template.Spec, exporterContainerName)
			if (ex != nil) != tc.wantExporter {
				t.Fatalf("exporter sidecar present: %v, want %v", ex != nil, tc.wantExporter)
			}
			if ex != nil {
				pass, ok := findEnv(ex.Env, "DATA_SOURCE_PASS")
				if !ok || pass.ValueFrom == nil || pass.ValueFrom.SecretKeyRef.Name != "db-env" || pass.ValueFrom.SecretKeyRef.Key != "POSTGRES_PASSWORD" {
					t.Errorf("exporter password not from the db's Secret: %+v", pass)
				}
				if !strings.HasPrefix(ex.Image, "quay.io/prometheuscommunity/postgres-exporter:v") {
					t.Errorf("exporter image %s", ex.Image)
				}
				if !hasServicePort(findObject[*corev1.Service](b, "Service", "db"), "exporter", 9187) {
					t.Error("Service db lacks the exporter port")
				}
			}
		})
	}
}

func hasServicePort(svc *corev1.Service, name string, port int32) bool {
	for _, p := range svc.Spec.Ports {
		if p.Name == name && p.Port == port {
			return true
		}
	}
	return false
}

func TestExporterCredentialsPerEngine(t *testing.T) {
	cases := []struct{ image, env, secretVar, fromKey string }{
		{"mysql:8", "MYSQL_ROOT_PASSWORD: pw", "MYSQLD_EXPORTER_PASSWORD", "MYSQL_ROOT_PASSWORD"},
		{"redis:7", "REDIS_PASSWORD: pw", "REDIS_PASSWORD", "REDIS_PASSWORD"},
		{"mongo:7", "MONGO_INITDB_ROOT_USERNAME: r, MONGO_INITDB_ROOT_PASSWORD: pw", "MONGODB_PASSWORD", "MONGO_INITDB_ROOT_PASSWORD"},
	}
	for _, tc := range cases {
		b := convertYAML(t, sprintf("services:\n  db: {image: %q, environment: {%s}}\n", tc.image, tc.env), "prod")
		db := findObject[*appsv1.StatefulSet](b, "StatefulSet", "db")
		ex := containerNamed(&db.Spec.Template.Spec, exporterContainerName)
		if ex == nil {
			t.Fatalf("%s: no exporter", tc.image)
		}
		e, ok := findEnv(ex.Env, tc.secretVar)
		if !ok || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef.Key != tc.fromKey {
			t.Errorf("%s: %s = %+v, want a ref to %s", tc.image, tc.secretVar, e, tc.fromKey)
		}
	}
}

func TestLogSidecars(t *testing.T) {
	b := convertYAML(t, `services:
  web:
    image: nginx
    volumes: ["weblogs:/var/log/nginx"]
  app:
    image: example/app
    working_dir: /srv
    x-berth: {logs: app/app.log}
  quiet:
    image: example/quiet
    volumes: ["data:/data"]
volumes: {weblogs: {}, data: {}}
`, "local")
	cases := []struct{ kind, name, dir, glob string }{
		{"StatefulSet", "web", "/var/log/nginx", "*.log"},
		{"Deployment", "app", "/srv/app", "app.log"},
	}
	for _, tc := range cases {
		var spec *corev1.PodSpec
		if pt := podTemplateOf(findObject[Object](b, tc.kind, tc.name)); pt != nil {
			spec = &pt.Spec
		}
		if spec == nil {
			t.Fatalf("no %s %s", tc.kind, tc.name)
		}
		side := spec.InitContainers[len(spec.InitContainers)-1]
		if side.RestartPolicy == nil || *side.RestartPolicy != corev1.ContainerRestartPolicyAlways {
			t.Errorf("%s: log sidecar is not native (restartPolicy Always): %+v", tc.name, side)
		}
		if !strings.Contains(side.Command[2], "tail -n +1 -F "+tc.dir+"/"+tc.glob) {
			t.Errorf("%s: sidecar script %q", tc.name, side.Command[2])
		}
		main := containerNamed(spec, tc.name)
		shared := false
		for _, m := range main.VolumeMounts {
			if m.MountPath == tc.dir && m.Name == side.VolumeMounts[0].Name {
				shared = true
			}
		}
		if !shared {
			t.Errorf("%s: sidecar does not share %s with the main container", tc.name, tc.dir)
		}
	}
	quiet := findObject[*appsv1.StatefulSet](b, "StatefulSet", "quiet")
	if len(quiet.Spec.Template.Spec.InitContainers) != 0 {
		t.Error("a data volume got a log sidecar")
	}
}

func TestFluentBitBySink(t *testing.T) {
	cases := []struct{ sink, url, want string }{
		{"loki", "http://loki.monitoring:3100", "Name              loki"},
		{"elasticsearch", "https://user:secret@es.example.com", "tls               On"},
		{"forward", "tcp://fluentd.logging:24224", "Port              24224"},
		{"stdout", "", "Format            json_lines"},
	}
	for _, tc := range cases {
		b := convertYAML(t, sprintf("services:\n  a: {image: app}\nx-berth: {environments: {prod: {logSink: %s, logSinkURL: %q}}}\n", tc.sink, tc.url), "prod")
		cm := findObject[*corev1.ConfigMap](b, "ConfigMap", fluentBitName)
		if cm == nil || findObject[*appsv1.DaemonSet](b, "DaemonSet", fluentBitName) == nil {
			t.Fatalf("%s: no Fluent Bit ConfigMap/DaemonSet", tc.sink)
		}
		conf := cm.Data["fluent-bit.conf"]
		if !strings.Contains(conf, tc.want) || !strings.Contains(conf, "/var/log/containers/*_app_*.log") {
			t.Errorf("%s: config lacks %q or the namespace's files:\n%s", tc.sink, tc.want, conf)
		}
		if strings.Contains(render(t, b), "secret@") {
			t.Errorf("%s: sink credentials printed", tc.sink)
		}
	}
	none := convertYAML(t, "services:\n  a: {image: app}\n", "local")
	if findObject[*appsv1.DaemonSet](none, "DaemonSet", fluentBitName) != nil {
		t.Error("local (log sink none) renders Fluent Bit")
	}
}
