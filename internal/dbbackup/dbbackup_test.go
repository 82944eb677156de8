package dbbackup

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"berth/convert"
	"berth/internal/kube"
	"berth/internal/kube/kubetest"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	fakedyn "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	"sigs.k8s.io/yaml"
)

func fakeRunner(objs ...runtime.Object) (*Runner, *fake.Clientset) {
	cs := fake.NewSimpleClientset(objs...)
	k := kube.NewClientFromParts(kubetest.Typed(cs), fakedyn.NewSimpleDynamicClient(runtime.NewScheme()), kubetest.Mapper(cs.Discovery()))
	return &Runner{Kube: k, Namespace: "app"}, cs
}

// finishJobs marks every Job of the namespace as failed or succeeded once it
// appears, standing in for the Job controller.
func finishJobs(t *testing.T, cs *fake.Clientset, succeed bool) chan *batchv1.Job {
	t.Helper()
	seen := make(chan *batchv1.Job, 1)
	go func() {
		for i := 0; i < 200; i++ {
			list, _ := cs.BatchV1().Jobs("app").List(context.Background(), metav1.ListOptions{})
			if len(list.Items) > 0 {
				j := list.Items[0].DeepCopy()
				if succeed {
					j.Status.Succeeded = 1
				} else {
					j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue}}
				}
				_, _ = cs.BatchV1().Jobs("app").UpdateStatus(context.Background(), j, metav1.UpdateOptions{})
				seen <- j
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		close(seen)
	}()
	return seen
}

func TestBackupCreatesAJobFromTheCronJob(t *testing.T) {
	PollInterval = 5 * time.Millisecond
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: convert.BackupCronJobName("db"), Namespace: "app", UID: "u1"},
		Spec: batchv1.CronJobSpec{Schedule: "0 3 * * *", JobTemplate: batchv1.JobTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{convert.LabelBackupOf: "db"}},
			Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				Containers: []corev1.Container{{Name: "backup", Image: "postgres:15"}},
			}}},
		}},
	}
	r, cs := fakeRunner(cj)
	seen := finishJobs(t, cs, false)
	_, err := r.Backup(context.Background(), "db")
	if !errors.Is(err, ErrJobFailed) {
		t.Fatalf("a failed Job must give ErrJobFailed, got %v", err)
	}
	job := <-seen
	if job == nil {
		t.Fatal("no Job was created")
	}
	if !strings.HasPrefix(job.Name, "db-backup-") || job.Spec.Template.Spec.Containers[0].Image != "postgres:15" ||
		job.Labels[convert.LabelBackupOf] != "db" || job.OwnerReferences[0].UID != "u1" {
		t.Errorf("Job not made from the CronJob's template: %+v", job)
	}
}

func TestBackupOfAServiceWithoutCronJob(t *testing.T) {
	r, _ := fakeRunner()
	if _, err := r.Backup(context.Background(), "web"); !errors.Is(err, ErrNoBackup) {
		t.Fatalf("want ErrNoBackup, got %v", err)
	}
	if _, err := r.Restore(context.Background(), "web", ""); !errors.Is(err, ErrNoBackup) {
		t.Fatalf("want ErrNoBackup, got %v", err)
	}
}

func TestRestoreSetsTheDumpName(t *testing.T) {
	PollInterval = 5 * time.Millisecond
	job := batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{Name: "db-restore"},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "restore", Env: []corev1.EnvVar{{Name: "BACKUP_NAME", Value: "latest"}}}},
		}}},
	}
	data, _ := yamlOf(job)
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: convert.RestoreConfigMapName("db"), Namespace: "app"},
		Data: map[string]string{convert.RestoreJobKey: data}}
	r, cs := fakeRunner(cm)
	seen := finishJobs(t, cs, true)
	if _, err := r.Restore(context.Background(), "db", "db-20250101T000000Z.pgdump"); err != nil {
		t.Fatal(err)
	}
	got := <-seen
	if v := got.Spec.Template.Spec.Containers[0].Env[0].Value; v != "db-20250101T000000Z.pgdump" {
		t.Errorf("BACKUP_NAME = %q", v)
	}
	if got.Spec.TTLSecondsAfterFinished == nil {
		t.Error("restore Job never cleaned up")
	}
}

func TestNamesAndLogLines(t *testing.T) {
	if n := uniqueName(strings.Repeat("a", 60)); len(n) > 63 {
		t.Errorf("uniqueName too long: %d", len(n))
	}
	logs := "starting\n" + convert.BackupLogPrefix + "db-1.pgdump\ndeleted old backup x\n"
	if got := lineAfter(logs, convert.BackupLogPrefix); got != "db-1.pgdump" {
		t.Errorf("lineAfter = %q", got)
	}
}

func yamlOf(v any) (string, error) {
	data, err := yaml.Marshal(v)
	return string(data), err
}
