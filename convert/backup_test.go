package convert

import (
	"fmt"
	"sigs.k8s.io/yaml"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

const backupCompose = `services:
  db:
    image: %s
    environment: {%s}
    volumes: ["data:%s"]
volumes: {data: {}}
`

func TestBackupPerEngine(t *testing.T) {
	cases := []struct {
		image, env, dataDir string
		tool                string // in the dump script
		secretVar           string // credential taken by secretKeyRef from db-env
		restoreTool         string
	}{
		{"postgres:16", "POSTGRES_USER: app, POSTGRES_PASSWORD: pw, POSTGRES_DB: app", "/var/lib/postgresql/data", "pg_dump", "POSTGRES_PASSWORD", "pg_restore"},
		{"mariadb:11", "MARIADB_ROOT_PASSWORD: pw", "/var/lib/mysql", "mariadb-dump", "MARIADB_ROOT_PASSWORD", `"$CLI"`},
		{"mysql:8", "MYSQL_ROOT_PASSWORD: pw", "/var/lib/mysql", "mysqldump", "MYSQL_ROOT_PASSWORD", `"$CLI"`},
		{"mongo:7", "MONGO_INITDB_ROOT_USERNAME: root, MONGO_INITDB_ROOT_PASSWORD: pw", "/data/db", "mongodump", "MONGO_INITDB_ROOT_PASSWORD", "mongorestore"},
		{"redis:7", "REDIS_PASSWORD: pw", "/data", "redis-cli", "REDIS_PASSWORD", "dump.rdb"},
	}
	for _, tc := range cases {
		t.Run(tc.image, func(t *testing.T) {
			for _, env := range []string{"local", "prod"} {
				b := convertYAML(t, sprintf(backupCompose, tc.image, tc.env, tc.dataDir), env)
				cj := findObject[*batchv1.CronJob](b, "CronJob", "db-backup")
				if cj == nil {
					t.Fatalf("%s: no CronJob db-backup", env)
				}
				pod := cj.Spec.JobTemplate.Spec.Template.Spec
				dump := pod.Containers[0]
				if env == "prod" {
					dump = pod.InitContainers[0]
					if pod.Containers[0].Image != RcloneImage {
						t.Errorf("prod upload image = %s", pod.Containers[0].Image)
					}
				}
				if dump.Image != tc.image || !strings.Contains(dump.Command[2], tc.tool) {
					t.Errorf("%s: dump container %s runs %q", env, dump.Image, dump.Command[2])
				}
				ref, ok := findEnv(dump.Env, tc.secretVar)
				if !ok || ref.ValueFrom == nil || ref.ValueFrom.SecretKeyRef.Name != "db-env" {
					t.Errorf("%s: %s is not taken from Secret db-env: %+v", env, tc.secretVar, ref)
				}
				if cj.Spec.Schedule == "" || cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
					t.Errorf("%s: schedule %q, concurrency %s", env, cj.Spec.Schedule, cj.Spec.ConcurrencyPolicy)
				}
				job := restoreJobOf(t, b)
				if !strings.Contains(job.Spec.Template.Spec.Containers[0].Command[2], tc.restoreTool) {
					t.Errorf("%s: restore script lacks %s", env, tc.restoreTool)
				}
				if strings.Contains(render(t, b), "pw") {
					t.Errorf("%s: a secret value leaked into the manifests", env)
				}
			}
		})
	}
}

func restoreJobOf(t *testing.T, b *Bundle) *batchv1.Job {
	t.Helper()
	cm := findObject[*corev1.ConfigMap](b, "ConfigMap", "db-restore")
	if cm == nil {
		t.Fatal("no ConfigMap db-restore")
	}
	job, err := RestoreJob(cm)
	if err != nil {
		t.Fatal(err)
	}
	return job
}

func TestBackupTargets(t *testing.T) {
	compose := sprintf(backupCompose, "postgres:15", "POSTGRES_PASSWORD: pw", "/var/lib/postgresql/data")
	local := convertYAML(t, compose, "local")
	if findObject[*corev1.PersistentVolumeClaim](local, "PersistentVolumeClaim", "db-backups") == nil {
		t.Error("local: no backup PVC db-backups")
	}
	if np := findObject[*networkingv1.NetworkPolicy](local, "NetworkPolicy", "db-backup"); np == nil || len(np.Spec.Egress) != 1 {
		t.Errorf("local: backup pods need exactly egress to the database: %+v", np)
	}
	prod := convertYAML(t, compose, "prod")
	if findObject[*corev1.PersistentVolumeClaim](prod, "PersistentVolumeClaim", "db-backups") != nil {
		t.Error("prod: a backup PVC next to the S3 target")
	}
	sec := findObject[*corev1.Secret](prod, "Secret", "backup-s3")
	if sec == nil || sec.StringData["AWS_SECRET_ACCESS_KEY"] != "" {
		t.Fatalf("prod: backup-s3 Secret missing or holding a value: %+v", sec)
	}
	if np := findObject[*networkingv1.NetworkPolicy](prod, "NetworkPolicy", "db-backup"); np == nil || len(np.Spec.Egress) != 2 {
		t.Errorf("prod: backup pods need egress to the database and to the bucket: %+v", np)
	}
	db := findObject[*networkingv1.NetworkPolicy](prod, "NetworkPolicy", "db")
	if got := ingressSources(db); !containsString(got, "backup:5432") {
		t.Errorf("db policy does not admit backup pods: %v", got)
	}
	if job := restoreJobOf(t, prod); job.Spec.Template.Spec.InitContainers[0].Image != RcloneImage {
		t.Error("prod restore does not fetch from the bucket first")
	}
}

func TestRedisRestoreWritesTheDataVolume(t *testing.T) {
	b := convertYAML(t, sprintf(backupCompose, "redis:7", "A: b", "/data"), "local")
	job := restoreJobOf(t, b)
	if job.Annotations[AnnotationScaleDown] != "db" {
		t.Errorf("restore does not ask to stop the StatefulSet: %v", job.Annotations)
	}
	var claim string
	for _, v := range job.Spec.Template.Spec.Volumes {
		if v.PersistentVolumeClaim != nil && v.Name == "data" {
			claim = v.PersistentVolumeClaim.ClaimName
		}
	}
	if claim != "data-db-0" {
		t.Errorf("restore mounts claim %q, want data-db-0", claim)
	}
}

func TestNoBackupForOtherImagesOrWhenOff(t *testing.T) {
	b := convertYAML(t, "services:\n  web: {image: nginx}\n  q: {image: rabbitmq:3}\n", "local")
	for _, o := range b.Objects {
		if Kind(o) == "CronJob" {
			t.Errorf("unexpected CronJob %s", o.GetName())
		}
	}
	off := convertYAML(t, sprintf(backupCompose, "postgres:15", "A: b", "/var/lib/postgresql/data")+
		"x-berth: {environments: {local: {backup: {target: none}}}}\n", "local")
	if findObject[*batchv1.CronJob](off, "CronJob", "db-backup") != nil {
		t.Error("backup.target none still renders a CronJob")
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// render serialises every object, as the YAML printer would.
func render(t *testing.T, b *Bundle) string {
	t.Helper()
	var sb strings.Builder
	for _, o := range b.Objects {
		data, err := yaml.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		sb.Write(data)
	}
	return sb.String()
}
