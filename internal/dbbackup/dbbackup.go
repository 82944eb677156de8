// Package dbbackup runs the backup CronJobs and restore Job templates that
// `berth convert` renders for database services, through the cluster: a
// backup is a Job created from the CronJob's template (as `kubectl create job
// --from=cronjob/...` does), a restore a Job created from the template held
// in the service's restore ConfigMap.
package dbbackup

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"berth/convert"
	"berth/internal/kube"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ErrNoBackup means the service has no backup CronJob (or restore template)
// in the cluster: it is not a database berth recognises, or it is not up.
var ErrNoBackup = errors.New("no backup configured")

// ErrJobFailed means the backup or restore Job failed; the error carries its
// last log lines.
var ErrJobFailed = errors.New("job failed")

// PollInterval is how often a running Job is checked.
var PollInterval = time.Second

// Runner runs backups and restores in one namespace.
type Runner struct {
	Kube      *kube.Client
	Namespace string
	// Progress, when set, receives one line per step.
	Progress func(string)
}

func (r *Runner) say(format string, args ...any) {
	if r.Progress != nil {
		r.Progress(fmt.Sprintf(format, args...))
	}
}

// Services lists the services that have a backup CronJob in the namespace.
func (r *Runner) Services(ctx context.Context) ([]string, error) {
	list, err := r.Kube.Typed.BatchV1().CronJobs(r.Namespace).List(ctx, metav1.ListOptions{
		LabelSelector: convert.LabelComponent + "=backup," + convert.LabelManagedBy + "=" + convert.ManagedBy,
	})
	if err != nil {
		return nil, fmt.Errorf("list backup CronJobs in %s: %w", r.Namespace, err)
	}
	var out []string
	for _, cj := range list.Items {
		if s := cj.Annotations[convert.AnnotationService]; s != "" {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Backup runs service's backup now and returns the name of the dump.
func (r *Runner) Backup(ctx context.Context, service string) (string, error) {
	name := convert.BackupCronJobName(service)
	cj, err := r.Kube.Typed.BatchV1().CronJobs(r.Namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return "", fmt.Errorf("%w for %s: no CronJob %s/%s (is it a database service, and is the project up?)", ErrNoBackup, service, r.Namespace, name)
	}
	if err != nil {
		return "", fmt.Errorf("get CronJob %s: %w", name, err)
	}
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name:        uniqueName(name),
			Namespace:   r.Namespace,
			Labels:      cj.Spec.JobTemplate.Labels,
			Annotations: map[string]string{"cronjob.kubernetes.io/instantiate": "manual", convert.AnnotationService: service},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "batch/v1", Kind: "CronJob", Name: cj.Name, UID: cj.UID,
			}},
		},
		Spec: *cj.Spec.JobTemplate.Spec.DeepCopy(),
	}
	r.say("backing up %s (Job %s)", service, job.Name)
	logs, err := r.runJob(ctx, job)
	if err != nil {
		return "", err
	}
	dump := lineAfter(logs, convert.BackupLogPrefix)
	if dump == "" {
		return "", fmt.Errorf("backup Job %s finished without naming its dump", job.Name)
	}
	return dump, nil
}

// Restore restores service from the dump named from ("" or "latest": the
// newest) and returns the name of the dump used. A restore that writes the
// data volume (redis) stops the database around it.
func (r *Runner) Restore(ctx context.Context, service, from string) (string, error) {
	cmName := convert.RestoreConfigMapName(service)
	cm, err := r.Kube.Typed.CoreV1().ConfigMaps(r.Namespace).Get(ctx, cmName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return "", fmt.Errorf("%w for %s: no restore template (ConfigMap %s/%s)", ErrNoBackup, service, r.Namespace, cmName)
	}
	if err != nil {
		return "", fmt.Errorf("get ConfigMap %s: %w", cmName, err)
	}
	job, err := convert.RestoreJob(cm)
	if err != nil {
		return "", err
	}
	if from == "" {
		from = "latest"
	}
	setEnv(job, "BACKUP_NAME", from)
	job.Name, job.Namespace = uniqueName(job.Name), r.Namespace
	if sts := job.Annotations[convert.AnnotationScaleDown]; sts != "" {
		restart, err := r.stop(ctx, sts)
		if err != nil {
			return "", err
		}
		defer func() {
			// Start the database again even when the restore failed or ctx ended.
			bg, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := restart(bg); err != nil {
				r.say("could not scale %s back up: %v", sts, err)
			}
		}()
	}
	r.say("restoring %s from %s (Job %s)", service, from, job.Name)
	logs, err := r.runJob(ctx, job)
	if err != nil {
		return "", err
	}
	return lineAfter(logs, convert.RestoreLogPrefix), nil
}

// setEnv sets a variable in every container of the Job that declares it.
func setEnv(job *batchv1.Job, name, value string) {
	spec := &job.Spec.Template.Spec
	for _, list := range [][]corev1.Container{spec.InitContainers, spec.Containers} {
		for i := range list {
			for j := range list[i].Env {
				if list[i].Env[j].Name == name {
					list[i].Env[j].Value = value
				}
			}
		}
	}
}

// uniqueName appends a UTC timestamp, within the 63 characters a Job's pods
// need for their job-name label.
func uniqueName(base string) string {
	suffix := "-" + time.Now().UTC().Format("0102150405")
	if len(base)+len(suffix) > 63 {
		base = strings.TrimRight(base[:63-len(suffix)], "-")
	}
	return base + suffix
}

// lineAfter returns the rest of the last line starting with prefix.
func lineAfter(logs, prefix string) string {
	found := ""
	for _, l := range strings.Split(logs, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), prefix); ok {
			found = strings.TrimSpace(rest)
		}
	}
	return found
}
