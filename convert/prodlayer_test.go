package convert

import (
	"reflect"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

func hasNote(b *Bundle, substr string) bool {
	for _, n := range b.Report.Notes {
		if strings.Contains(n, substr) {
			return true
		}
	}
	return false
}

// TestLocalReportSaysPoliciesAreNotEnforced: only the local environment,
// whose kind cluster's CNI does not enforce NetworkPolicy, says so.
func TestLocalReportSaysPoliciesAreNotEnforced(t *testing.T) {
	const compose = "services:\n  a: {image: busybox}\n"
	const note = "only a CNI that implements NetworkPolicy enforces them"
	if b := convertYAML(t, compose, "local"); !hasNote(b, note) || !hasNote(b, "kindnet") {
		t.Errorf("local report lacks the enforcement note: %v", b.Report.Notes)
	}
	if b := convertYAML(t, compose, "prod"); hasNote(b, note) {
		t.Error("prod report claims its CNI does not enforce policies")
	}
}

// TestLogSinkCredentialsGoToASecret: user and password of the sink URL are
// in a Secret the DaemonSet reads, the config references them, and the
// password is printed nowhere unless asked for.
func TestLogSinkCredentialsGoToASecret(t *testing.T) {
	const compose = "services:\n  a: {image: app}\nx-berth: {environments: {prod: {logSink: elasticsearch, logSinkURL: \"https://elastic:hunter2@es.example.com:9243\"}}}\n"
	b := convertYAML(t, compose, "prod")
	conf := findObject[*corev1.ConfigMap](b, "ConfigMap", fluentBitName).Data["fluent-bit.conf"]
	for _, want := range []string{"HTTP_User         ${LOG_SINK_USER}", "HTTP_Passwd       ${LOG_SINK_PASSWORD}", "Port              9243"} {
		if !strings.Contains(conf, want) {
			t.Errorf("config lacks %q:\n%s", want, conf)
		}
	}
	sec := findObject[*corev1.Secret](b, "Secret", fluentBitName)
	if sec == nil || len(sec.StringData) != 2 || sec.StringData[envSinkPassword] != "" {
		t.Fatalf("Secret %s missing or holding values: %+v", fluentBitName, sec)
	}
	ds := findObject[*appsv1.DaemonSet](b, "DaemonSet", fluentBitName)
	env := ds.Spec.Template.Spec.Containers[0].Env
	if len(env) != 2 || env[1].Name != envSinkPassword || env[1].ValueFrom.SecretKeyRef.Name != fluentBitName {
		t.Errorf("DaemonSet env does not read the Secret: %+v", env)
	}
	if strings.Contains(render(t, b), "hunter2") || strings.Contains(strings.Join(b.Report.Notes, "\n"), "hunter2") {
		t.Error("the sink password is printed")
	}
	if !hasNote(b, "log sink URL's credentials are in Secret "+fluentBitName) {
		t.Errorf("the report does not say where the credentials went: %v", b.Report.Notes)
	}
	var sources []string
	for _, s := range b.Secrets {
		if s.Secret == fluentBitName {
			sources = append(sources, s.Key+"="+s.Value)
		}
	}
	if !reflect.DeepEqual(sources, []string{"LOG_SINK_USER=elastic", "LOG_SINK_PASSWORD=hunter2"}) {
		t.Errorf("secret sources %v: up/promote need them to fill the Secret", sources)
	}
	noCreds := convertYAML(t, strings.Replace(compose, "elastic:hunter2@", "", 1), "prod")
	if findObject[*corev1.Secret](noCreds, "Secret", fluentBitName) != nil {
		t.Error("a sink URL without credentials got a Secret")
	}
}

// TestRestoreJobsAreHardenedLikeBackups: each engine's restore Job template
// gets the backup CronJob's pod and container security settings, and in
// prod every backup and restore container, init ones included, has requests.
func TestRestoreJobsAreHardenedLikeBackups(t *testing.T) {
	for _, tc := range []struct{ image, env, dir string }{
		{"postgres:15", "POSTGRES_PASSWORD: pw", "/var/lib/postgresql/data"},
		{"mariadb:11", "MARIADB_ROOT_PASSWORD: pw", "/var/lib/mysql"},
		{"mongo:7", "MONGO_INITDB_ROOT_PASSWORD: pw", "/data/db"},
	} {
		for _, env := range []string{"local", "prod"} {
			b := convertYAML(t, sprintf(backupCompose, tc.image, tc.env, tc.dir), env)
			backup := findObject[*batchv1.CronJob](b, "CronJob", "db-backup").Spec.JobTemplate.Spec.Template.Spec
			restore := restoreJobOf(t, b).Spec.Template.Spec
			if restore.SecurityContext == nil || !reflect.DeepEqual(restore.SecurityContext, backup.SecurityContext) {
				t.Errorf("%s %s: restore pod securityContext %+v, backup's %+v", tc.image, env, restore.SecurityContext, backup.SecurityContext)
			}
			want := backup.Containers[0].SecurityContext
			for _, ct := range append(restore.InitContainers, restore.Containers...) {
				if !reflect.DeepEqual(ct.SecurityContext, want) {
					t.Errorf("%s %s: restore container %s securityContext %+v, want %+v", tc.image, env, ct.Name, ct.SecurityContext, want)
				}
			}
			for _, ct := range append(append(backup.InitContainers, backup.Containers...), append(restore.InitContainers, restore.Containers...)...) {
				if got := ct.Resources.Requests != nil; got != (env == "prod") {
					t.Errorf("%s %s: container %s has requests: %v", tc.image, env, ct.Name, got)
				}
			}
		}
	}
}

// TestLogSidecarsGetRequestsInProd: native sidecars add to the pod's
// requests, so they need their own.
func TestLogSidecarsGetRequestsInProd(t *testing.T) {
	b := convertYAML(t, "services:\n  app:\n    image: example/app\n    x-berth: {logs: /srv/app.log}\n", "prod")
	side := findObject[*appsv1.Deployment](b, "Deployment", "app").Spec.Template.Spec.InitContainers
	if len(side) != 1 || side[0].Resources.Requests.Cpu().String() != "100m" || side[0].Resources.Requests.Memory().String() != "128Mi" {
		t.Errorf("log sidecar requests: %+v", side)
	}
}
