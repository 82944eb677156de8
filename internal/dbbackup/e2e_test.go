package dbbackup

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"berth/convert"
	"berth/internal/kube"
	"berth/internal/testcluster"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// e2eCase is one database proved to restore into a fresh instance.
type e2eCase struct {
	name    string // subtest name; the image when empty
	image   string
	compose string
	ready   []string // succeeds once the database serves on TCP (TestScriptsWithDocker)
	write   []string // run in the database container before the backup
	read    []string // run after the restore; its output must contain want
	want    string
}

func (tc e2eCase) testName() string {
	if tc.name != "" {
		return tc.name
	}
	return tc.image
}

// mariadbSQL runs a statement as the application user of the mariadb cases.
func mariadbSQL(stmt string) []string {
	return []string{"mariadb", "-h", "127.0.0.1", "-u", "app", "-ps3cret", "--skip-column-names", "app", "-e", stmt}
}

var e2eCases = []e2eCase{
	{
		image: "postgres:15",
		compose: `services:
  db:
    image: postgres:15
    environment: {POSTGRES_USER: app, POSTGRES_PASSWORD: s3cret, POSTGRES_DB: app}
    volumes: ["pgdata:/var/lib/postgresql/data"]
    healthcheck: {test: ["CMD-SHELL", "pg_isready -U app -d app"], interval: 2s}
volumes: {pgdata: {}}
`,
		ready: []string{"pg_isready", "-h", "127.0.0.1", "-q"},
		write: []string{"sh", "-c", `PGPASSWORD=s3cret psql -h 127.0.0.1 -U app -d app -v ON_ERROR_STOP=1 -c "create table notes(body text); insert into notes values ('berth-was-here')"`},
		read:  []string{"sh", "-c", `PGPASSWORD=s3cret psql -h 127.0.0.1 -U app -d app -tAc "select body from notes"`},
		want:  "berth-was-here",
	},
	{
		image: "redis:7",
		compose: `services:
  db:
    image: redis:7
    volumes: ["redisdata:/data"]
volumes: {redisdata: {}}
`,
		ready: []string{"sh", "-c", "redis-cli ping | grep -q PONG"},
		write: []string{"redis-cli", "set", "note", "berth-was-here"},
		read:  []string{"redis-cli", "get", "note"},
		want:  "berth-was-here",
	},
	{
		// With a root password the dump is --all-databases as root, the
		// healthcheck the official image documents.
		image: "mariadb:10.11",
		compose: `services:
  db:
    image: mariadb:10.11
    environment: {MARIADB_ROOT_PASSWORD: r00t, MARIADB_DATABASE: app, MARIADB_USER: app, MARIADB_PASSWORD: s3cret}
    volumes: ["mariadbdata:/var/lib/mysql"]
    healthcheck: {test: ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"], interval: 2s}
volumes: {mariadbdata: {}}
`,
		ready: []string{"healthcheck.sh", "--connect", "--innodb_initialized"},
		write: mariadbSQL("create table notes(body text); insert into notes values ('berth-was-here')"),
		read:  mariadbSQL("select body from notes"),
		want:  "berth-was-here",
	},
	{
		// Without one (a random root password, the MYSQL_* names) the dump
		// is MYSQL_DATABASE only, as MYSQL_USER.
		name:  "mariadb:10.11-user-only",
		image: "mariadb:10.11",
		compose: `services:
  db:
    image: mariadb:10.11
    environment: {MYSQL_RANDOM_ROOT_PASSWORD: "yes", MYSQL_DATABASE: app, MYSQL_USER: app, MYSQL_PASSWORD: s3cret}
    volumes: ["mariadbdata:/var/lib/mysql"]
    healthcheck: {test: ["CMD-SHELL", "mariadb-admin ping -h 127.0.0.1 --silent"], interval: 2s}
volumes: {mariadbdata: {}}
`,
		ready: []string{"mariadb-admin", "ping", "-h", "127.0.0.1", "--silent"},
		write: mariadbSQL("create table notes(body text); insert into notes values ('berth-was-here')"),
		read:  mariadbSQL("select body from notes"),
		want:  "berth-was-here",
	},
}

// TestBackupRestoresIntoAFreshDatabase writes a row, backs up through the
// backup CronJob's template, deletes the database with its volume, starts a
// fresh one, restores, and reads the row back, also once the pod has been
// replaced.
func TestBackupRestoresIntoAFreshDatabase(t *testing.T) {
	kubeconfig := testcluster.Kubeconfig(t)
	for _, tc := range e2eCases {
		t.Run(tc.testName(), func(t *testing.T) {
			if err := loadImage(tc.image); err != nil {
				skipOrFail(t, err.Error())
			}
			k, err := kube.NewClient(kubeconfig, "")
			if err != nil {
				t.Fatal(err)
			}
			ns := testcluster.Namespace(t, kubeconfig, "backup")
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			objs, workload := renderProject(t, tc.compose, ns)
			start := func() string {
				applyAndWait(ctx, t, k, ns, objs)
				pod, err := k.ReadyPod(ctx, ns, convert.LabelName+"=db")
				if err != nil {
					t.Fatal(err)
				}
				return pod.Name
			}
			pod := start()
			mustExec(ctx, t, k, ns, pod, tc.write)
			r := &Runner{Kube: k, Namespace: ns, Progress: func(s string) { t.Log(s) }}
			dump, err := r.Backup(ctx, "db")
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("backup: %s", dump)

			wipe(ctx, t, k, ns, workload)
			pod = start()
			if out := execOut(ctx, k, ns, pod, tc.read); strings.Contains(out, tc.want) {
				t.Fatalf("the fresh database already holds the data: %q", out)
			}
			used, err := r.Restore(ctx, "db", dump)
			if err != nil {
				t.Fatal(err)
			}
			if used != dump {
				t.Errorf("restored %q, asked for %q", used, dump)
			}
			readBack := func(pod, when string) {
				// a database without a healthcheck is Ready before it has loaded
				// its data (redis answers LOADING meanwhile): read until it has
				out := ""
				for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(time.Second) {
					if out = execOut(ctx, k, ns, pod, tc.read); strings.Contains(out, tc.want) {
						return
					}
				}
				t.Fatalf("%s, read gives %q, want %q", when, out, tc.want)
			}
			readBack(start(), "after restore")
			// what was restored (mysql's grant tables, say) must not keep the
			// database from becoming Ready again when its pod is replaced
			readBack(restartPod(ctx, t, k, ns), "after restore and a restart")
		})
	}
}

func skipOrFail(t *testing.T, reason string) {
	t.Helper()
	if os.Getenv(testcluster.EnvE2E) == "1" {
		t.Fatalf("CLUSTER TEST CANNOT RUN (and %s=1 demands it): %s", testcluster.EnvE2E, reason)
	}
	t.Skipf("SKIPPING CLUSTER TEST: %s", reason)
}

// loadImage copies a local Docker image into the kind node's containerd
// (the machines have no registry); hack/demo-images.sh builds them.
func loadImage(image string) error {
	if err := exec.Command("docker", "image", "inspect", image).Run(); err != nil {
		return &missingImage{image}
	}
	node := testcluster.Name + "-control-plane"
	save := exec.Command("docker", "save", image)
	load := exec.Command("docker", "exec", "-i", node, "ctr", "-n", "k8s.io", "images", "import", "--all-platforms", "-")
	pipe, err := save.StdoutPipe()
	if err != nil {
		return err
	}
	load.Stdin = pipe
	var out bytes.Buffer
	load.Stdout, load.Stderr = &out, &out
	if err := load.Start(); err != nil {
		return err
	}
	if err := save.Run(); err != nil {
		return err
	}
	if err := load.Wait(); err != nil {
		return &loadError{image, out.String()}
	}
	return nil
}

type missingImage struct{ image string }

func (e *missingImage) Error() string {
	return "image " + e.image + " is not in Docker (hack/demo-images.sh builds it from Debian packages)"
}

type loadError struct{ image, out string }

func (e *loadError) Error() string { return "load " + e.image + " into the kind node: " + e.out }

// renderProject converts compose for the local environment into ns, with
// secret values (the test creates its Secrets itself), and returns the
// objects to apply and the StatefulSet running db.
func renderProject(t *testing.T, compose, ns string) ([]runtime.Object, runtime.Object) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "app")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := convert.Load(context.Background(), convert.LoadOptions{ProjectDir: dir, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	o := l.Options()
	o.Env, o.Namespace, o.IncludeSecretValues = "local", ns, true
	b, err := convert.Convert(l.Project, o)
	if err != nil {
		t.Fatal(err)
	}
	var objs []runtime.Object
	var workload runtime.Object
	for _, obj := range b.Objects {
		if convert.Kind(obj) == "Namespace" {
			continue
		}
		if convert.Kind(obj) == convert.KindStatefulSet {
			workload = obj
		}
		objs = append(objs, obj)
	}
	return objs, workload
}

func applyAndWait(ctx context.Context, t *testing.T, k *kube.Client, ns string, objs []runtime.Object) {
	t.Helper()
	res, err := k.Apply(ctx, objs, kube.ApplyOptions{Namespace: ns, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("apply %s: %v", r.Ref, r.Err)
		}
	}
	var workloads []runtime.Object
	for _, o := range objs {
		if k := o.GetObjectKind().GroupVersionKind().Kind; k == convert.KindStatefulSet {
			workloads = append(workloads, o)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if err := k.Wait(wctx, workloads, nil); err != nil {
		t.Fatal(err)
	}
}

// wipe deletes the database and its data volume, so the next start is fresh.
func wipe(ctx context.Context, t *testing.T, k *kube.Client, ns string, workload runtime.Object) {
	t.Helper()
	name := workload.(convert.Object).GetName()
	if err := k.Typed.AppsV1().StatefulSets(ns).Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	pvcs, err := k.Typed.CoreV1().PersistentVolumeClaims(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pvcs.Items {
		if strings.HasSuffix(p.Name, "-"+name+"-0") {
			if err := k.Typed.CoreV1().PersistentVolumeClaims(ns).Delete(ctx, p.Name, metav1.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for {
		pods, _ := k.Typed.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: convert.LabelName + "=db"})
		claims, _ := k.Typed.CoreV1().PersistentVolumeClaims(ns).List(ctx, metav1.ListOptions{})
		left := len(pods.Items)
		for _, p := range claims.Items {
			if strings.HasSuffix(p.Name, "-"+name+"-0") {
				left++
			}
		}
		if left == 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatal("database and volume not gone:", ctx.Err())
		case <-time.After(time.Second):
		}
	}
}

// restartPod deletes the database's pod and returns its replacement once
// that is Ready.
func restartPod(ctx context.Context, t *testing.T, k *kube.Client, ns string) string {
	t.Helper()
	sel := convert.LabelName + "=db"
	old, err := k.ReadyPod(ctx, ns, sel)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Typed.CoreV1().Pods(ns).Delete(ctx, old.Name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(time.Second) {
		if p, err := k.ReadyPod(ctx, ns, sel); err == nil && p.UID != old.UID {
			return p.Name
		}
	}
	t.Fatalf("the database is not Ready again 3 minutes after its pod %s was deleted", old.Name)
	return ""
}

func mustExec(ctx context.Context, t *testing.T, k *kube.Client, ns, pod string, cmd []string) {
	t.Helper()
	var out bytes.Buffer
	if err := k.Exec(ctx, ns, pod, "db", cmd, kube.ExecOptions{Stdout: &out, Stderr: &out}); err != nil {
		t.Fatalf("%v: %v\n%s", cmd, err, out.String())
	}
}

func execOut(ctx context.Context, k *kube.Client, ns, pod string, cmd []string) string {
	var out bytes.Buffer
	_ = k.Exec(ctx, ns, pod, "db", cmd, kube.ExecOptions{Stdout: &out, Stderr: &out})
	return out.String()
}
