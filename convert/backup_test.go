package convert

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// runWithStubs runs a backup or restore script under sh -eu, with the
// programs in stubs (name → sh body) first on PATH, in a temporary
// directory that is also $DIR.
func runWithStubs(t *testing.T, script string, stubs map[string]string, env ...string) (string, []byte, error) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	for name, body := range stubs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("sh", "-c", "set -eu\n"+script)
	cmd.Dir = dir // relative paths the script writes ($OUT) stay out of the source tree
	cmd.Env = append([]string{"PATH=" + dir + ":/usr/bin:/bin", "DIR=" + dir, "DB_HOST=db", "DB_PORT=3306"}, env...)
	out, err := cmd.CombinedOutput()
	return dir, out, err
}

// TestMySQLDumpLeavesOutTheSystemSchemas runs the mysql dump script with
// stand-ins for the client tools: as root it dumps every database but the
// system schemas (restoring mysql.* into a fresh server would replace the
// users its entrypoint made, the mariadb image's healthcheck user among
// them), as a plain user MYSQL_DATABASE, and a failed listing fails the dump.
func TestMySQLDumpLeavesOutTheSystemSchemas(t *testing.T) {
	cases := []struct {
		name string
		env  []string
		list string // what SHOW DATABASES answers; "fail" exits 1
		want string // mysqldump's arguments after the fixed ones
	}{
		{"root", []string{"MARIADB_ROOT_PASSWORD=pw"}, "information_schema\napp\nmysql\nperformance_schema\nsys\nmy shop\n", "--databases|app|my shop|"},
		{"user", []string{"MYSQL_USER=app", "MYSQL_PASSWORD=pw", "MYSQL_DATABASE=app"}, "fail", "--databases|app|"},
		{"root, listing fails", []string{"MYSQL_ROOT_PASSWORD=pw"}, "fail", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			list := "printf '%s' '" + tc.list + "'"
			if tc.list == "fail" {
				list = "echo 'ERROR 1045: Access denied' >&2; exit 1"
			}
			dir, out, err := runWithStubs(t, dbSpecs[DBMySQL].dump, map[string]string{
				"mysql":     list,
				"mysqldump": `for a; do printf '%s|' "$a"; done > "$DIR/args"; echo '-- dump'`,
			}, append([]string{"OUT=out.sql.gz"}, tc.env...)...)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("the dump succeeded although listing the databases failed:\n%s", out)
				}
				return
			}
			if err != nil {
				t.Fatalf("dump: %v\n%s", err, out)
			}
			args, _ := os.ReadFile(filepath.Join(dir, "args"))
			if fixed := "-h|db|-P|3306|-u|"; !strings.HasPrefix(string(args), fixed) || !strings.HasSuffix(string(args), tc.want) {
				t.Errorf("mysqldump %q, want it to end with %q", args, tc.want)
			}
			if strings.Contains(string(args), "--all-databases") || strings.Contains(string(args), "|mysql|") {
				t.Errorf("mysqldump %q dumps the mysql schema", args)
			}
		})
	}
}

// TestMySQLRestoreWaitsForTheServer: a server that does not answer at first
// (a fresh pod whose name still resolves to the old one) is retried, and one
// that never answers fails the restore.
func TestMySQLRestoreWaitsForTheServer(t *testing.T) {
	for _, tc := range []struct {
		name      string
		failFirst int // connections refused before the server answers
		ok        bool
	}{{"answers on the third try", 2, true}, {"never answers", 1000, false}} {
		t.Run(tc.name, func(t *testing.T) {
			mysql := `n=$(cat "$DIR/tries" 2>/dev/null || echo 0); echo $((n+1)) > "$DIR/tries"
if [ "$n" -lt ` + fmt.Sprint(tc.failFirst) + ` ]; then echo "ERROR 2002 (HY000): Can't connect to server on 'db' (115)" >&2; exit 1; fi
cat > "$DIR/restored"`
			dump := filepath.Join(t.TempDir(), "dump.sql.gz")
			if out, err := exec.Command("sh", "-c", `echo 'CREATE DATABASE app;' | gzip > "$0"`, dump).CombinedOutput(); err != nil {
				t.Fatalf("gzip: %v %s", err, out)
			}
			dir, out, err := runWithStubs(t, dbSpecs[DBMySQL].restore, map[string]string{"mysql": mysql, "mysqldump": ":", "sleep": ":"},
				"IN="+dump, "MYSQL_ROOT_PASSWORD=pw")
			restored, _ := os.ReadFile(filepath.Join(dir, "restored"))
			switch {
			case tc.ok && (err != nil || string(restored) != "CREATE DATABASE app;\n"):
				t.Fatalf("restore: %v, fed %q\n%s", err, restored, out)
			case !tc.ok && err == nil:
				t.Fatalf("restore against a server that never answers: %v, fed %q", err, restored)
			}
		})
	}
}
