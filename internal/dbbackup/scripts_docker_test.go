package dbbackup

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os/exec"
	"strings"
	"testing"
	"time"

	"berth/convert"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// TestScriptsWithDocker runs the very scripts berth renders into the backup
// CronJob and the restore template, with the databases' real tools, in plain
// Docker containers standing in for the pods (same image, same environment,
// the backup PVC as a host directory): a dump of a database with a row
// restores into a fresh database. It needs no cluster, so it runs where
// kind does not.
func TestScriptsWithDocker(t *testing.T) {
	for _, tc := range e2eCases {
		t.Run(tc.testName(), func(t *testing.T) {
			if err := exec.Command("docker", "image", "inspect", tc.image).Run(); err != nil {
				skipOrFail(t, (&missingImage{tc.image}).Error())
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			d := newDockerPods(t, ctx)
			b := bundleFor(t, tc.compose)
			backups, data := t.TempDir(), t.TempDir()

			d.startDB(tc, b, data)
			d.exec(tc.write)
			out := d.runScript(tc.image, backupContainer(t, b), b, "-v", backups+":/backups")
			dump := lineAfter(out, convert.BackupLogPrefix)
			if dump == "" {
				t.Fatalf("backup named no dump:\n%s", out)
			}

			d.removeDB()
			fresh := t.TempDir()
			job := restoreJobFrom(t, b)
			restore := job.Spec.Template.Spec.Containers[0]
			args := []string{"-v", backups + ":/backups:ro", "-e", "BACKUP_NAME=latest"}
			if job.Annotations[convert.AnnotationScaleDown] == "" {
				d.startDB(tc, b, fresh)
				if got := d.execOut(tc.read); strings.Contains(got, tc.want) {
					t.Fatalf("fresh database already holds the data: %q", got)
				}
			} else {
				args = append(args, "-v", fresh+":"+envOf(restore, "DATA_DIR"))
			}
			out = d.runScript(tc.image, restore, b, args...)
			if lineAfter(out, convert.RestoreLogPrefix) != dump {
				t.Fatalf("restore did not use %s:\n%s", dump, out)
			}
			if job.Annotations[convert.AnnotationScaleDown] != "" {
				d.startDB(tc, b, fresh)
			}
			if got := d.execOut(tc.read); !strings.Contains(got, tc.want) {
				t.Fatalf("after restore, read gives %q, want %q", got, tc.want)
			}
			// what was restored (mysql's grant tables, say) must not keep the
			// database from starting again
			d.docker("restart", d.db)
			d.waitReady(tc, "after a restart that followed the restore")
			if got := d.execOut(tc.read); !strings.Contains(got, tc.want) {
				t.Fatalf("after restore and restart, read gives %q, want %q", got, tc.want)
			}
		})
	}
}

func bundleFor(t *testing.T, compose string) *convert.Bundle {
	t.Helper()
	objs, _ := renderProject(t, compose, "app")
	b := &convert.Bundle{}
	for _, o := range objs {
		b.Objects = append(b.Objects, o.(convert.Object))
	}
	return b
}

func backupContainer(t *testing.T, b *convert.Bundle) corev1.Container {
	t.Helper()
	for _, o := range b.Objects {
		if cj, ok := o.(*batchv1.CronJob); ok {
			return cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0]
		}
	}
	t.Fatal("no backup CronJob rendered")
	return corev1.Container{}
}

func restoreJobFrom(t *testing.T, b *convert.Bundle) *batchv1.Job {
	t.Helper()
	for _, o := range b.Objects {
		if cm, ok := o.(*corev1.ConfigMap); ok && cm.Name == convert.RestoreConfigMapName("db") {
			job, err := convert.RestoreJob(cm)
			if err != nil {
				t.Fatal(err)
			}
			return job
		}
	}
	t.Fatal("no restore template rendered")
	return nil
}

func envOf(ct corev1.Container, name string) string {
	for _, e := range ct.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// dockerPods runs a database and script containers on a private network
// where the database answers to "db", as its Service does in the cluster.
type dockerPods struct {
	t       *testing.T
	ctx     context.Context
	network string
	db      string
}

func newDockerPods(t *testing.T, ctx context.Context) *dockerPods {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	d := &dockerPods{t: t, ctx: ctx, network: "berth-dbtest-" + hex.EncodeToString(b)}
	d.docker("network", "create", d.network)
	t.Cleanup(func() {
		d.removeDB()
		_ = exec.Command("docker", "network", "rm", d.network).Run()
	})
	return d
}

func (d *dockerPods) docker(args ...string) string {
	d.t.Helper()
	out, err := exec.CommandContext(d.ctx, "docker", args...).CombinedOutput()
	if err != nil {
		d.t.Fatalf("docker %s: %v\n%s", strings.Join(args[:min(len(args), 3)], " "), err, out)
	}
	return string(out)
}

// envArgs resolves a container's environment as the kubelet would, taking
// secretKeyRef values from the Secrets rendered with their values.
func envArgs(ct corev1.Container, b *convert.Bundle) []string {
	var args []string
	for _, e := range ct.Env {
		v := e.Value
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			v = secretValue(b, e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key)
		}
		args = append(args, "-e", e.Name+"="+v)
	}
	return args
}

func secretValue(b *convert.Bundle, name, key string) string {
	for _, o := range b.Objects {
		if s, ok := o.(*corev1.Secret); ok && s.Name == name {
			return s.StringData[key]
		}
	}
	return ""
}

func (d *dockerPods) startDB(tc e2eCase, b *convert.Bundle, dataDir string) {
	d.t.Helper()
	var main corev1.Container
	var mount string
	for _, o := range b.Objects {
		if pt := podTemplate(o); pt != nil {
			main = pt.Spec.Containers[0]
			for _, m := range main.VolumeMounts {
				mount = m.MountPath
			}
		}
	}
	d.db = "berth-dbtest-db-" + d.network[len(d.network)-8:]
	args := append([]string{"run", "-d", "--name", d.db, "--network", d.network, "--network-alias", "db", "-v", dataDir + ":" + mount}, envArgs(main, b)...)
	d.docker(append(append(args, tc.image), main.Args...)...)
	d.waitReady(tc, "")
}

// waitReady waits until tc.ready succeeds in the database container.
func (d *dockerPods) waitReady(tc e2eCase, when string) {
	d.t.Helper()
	for i := 0; ; i++ {
		out, err := d.tryExec(tc.ready)
		if err == nil {
			return
		}
		if i > 120 {
			d.t.Fatalf("database not ready %s: %v %v: %s\n%s", when, tc.ready, err, out, d.docker("logs", "--tail", "30", d.db))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func podTemplate(o convert.Object) *corev1.PodTemplateSpec {
	if sts, ok := o.(*appsv1.StatefulSet); ok {
		return &sts.Spec.Template
	}
	return nil
}

func (d *dockerPods) removeDB() {
	if d.db != "" {
		_ = exec.Command("docker", "rm", "-f", "-v", d.db).Run()
		d.db = ""
	}
}

func (d *dockerPods) tryExec(cmd []string) (string, error) {
	var out bytes.Buffer
	c := exec.CommandContext(d.ctx, "docker", append([]string{"exec", d.db}, cmd...)...)
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	return out.String(), err
}

func (d *dockerPods) exec(cmd []string) {
	d.t.Helper()
	if out, err := d.tryExec(cmd); err != nil {
		d.t.Fatalf("%v: %v\n%s", cmd, err, out)
	}
}

func (d *dockerPods) execOut(cmd []string) string {
	out, _ := d.tryExec(cmd)
	return out
}

// runScript runs a rendered container's sh -c script with its environment.
func (d *dockerPods) runScript(image string, ct corev1.Container, b *convert.Bundle, extra ...string) string {
	d.t.Helper()
	args := append([]string{"run", "--rm", "--network", d.network, "--entrypoint", ct.Command[0]}, extra...)
	args = append(args, envArgs(ct, b)...)
	args = append(append(args, image), ct.Command[1:]...)
	return d.docker(args...)
}
