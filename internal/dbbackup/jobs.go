package dbbackup

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/util/retry"
)

// finishedJobTTL removes manual backup and restore Jobs a day after they end.
const finishedJobTTL = int32(24 * 60 * 60)

// runJob creates job, waits until it succeeds or fails, and returns the logs
// of its pod's containers (init containers first).
func (r *Runner) runJob(ctx context.Context, job *batchv1.Job) (string, error) {
	ttl := finishedJobTTL
	job.Spec.TTLSecondsAfterFinished = &ttl
	jobs := r.Kube.Typed.BatchV1().Jobs(r.Namespace)
	created, err := jobs.Create(ctx, job, metav1.CreateOptions{FieldManager: "berth"})
	if err != nil {
		return "", fmt.Errorf("create Job %s: %w", job.Name, err)
	}
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	for {
		cur, err := jobs.Get(ctx, created.Name, metav1.GetOptions{})
		if err != nil {
			return "", fmt.Errorf("read Job %s: %w", created.Name, err)
		}
		switch {
		case cur.Status.Succeeded > 0:
			return r.jobLogs(ctx, created.Name)
		case jobFailed(cur):
			logs, _ := r.jobLogs(ctx, created.Name)
			return "", fmt.Errorf("%w: Job %s/%s:\n%s", ErrJobFailed, r.Namespace, created.Name, tail(logs, 20))
		}
		select {
		case <-ctx.Done():
			logs, _ := r.jobLogs(context.Background(), created.Name)
			return "", fmt.Errorf("backup/restore Job %s/%s did not finish: %w\n%s", r.Namespace, created.Name, ctx.Err(), tail(logs, 20))
		case <-t.C:
		}
	}
}

func jobFailed(j *batchv1.Job) bool {
	for _, c := range j.Status.Conditions {
		if c.Type == batchv1.JobFailed && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// jobLogs concatenates the logs of every container of the Job's pods.
func (r *Runner) jobLogs(ctx context.Context, job string) (string, error) {
	pods, err := r.Kube.Typed.CoreV1().Pods(r.Namespace).List(ctx, metav1.ListOptions{LabelSelector: "job-name=" + job})
	if err != nil {
		return "", fmt.Errorf("list pods of Job %s: %w", job, err)
	}
	var b strings.Builder
	for _, p := range pods.Items {
		for _, ct := range append(append([]corev1.Container(nil), p.Spec.InitContainers...), p.Spec.Containers...) {
			raw, err := r.Kube.Typed.CoreV1().Pods(r.Namespace).GetLogs(p.Name, &corev1.PodLogOptions{Container: ct.Name}).DoRaw(ctx)
			if err != nil {
				fmt.Fprintf(&b, "[%s/%s: no logs: %v]\n", p.Name, ct.Name, err)
				continue
			}
			b.Write(raw)
		}
	}
	return b.String(), nil
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// stop scales a StatefulSet to 0, waits until its pods are gone, and returns
// a function that scales it back to its former size.
func (r *Runner) stop(ctx context.Context, name string) (func(context.Context) error, error) {
	sets := r.Kube.Typed.AppsV1().StatefulSets(r.Namespace)
	sts, err := sets.Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("get StatefulSet %s: %w", name, err)
	}
	scale, err := sets.GetScale(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("read scale of %s: %w", name, err)
	}
	before := scale.Spec.Replicas
	// The controller updates the StatefulSet's status at any moment, which
	// makes the scale just read stale: read and write again on a conflict.
	setScale := func(ctx context.Context, n int32) error {
		return retry.RetryOnConflict(retry.DefaultRetry, func() error {
			s, err := sets.GetScale(ctx, name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			s.Spec.Replicas = n
			_, err = sets.UpdateScale(ctx, name, s, metav1.UpdateOptions{})
			return err
		})
	}
	r.say("stopping %s for the restore", name)
	if err := setScale(ctx, 0); err != nil {
		return nil, fmt.Errorf("scale %s to 0: %w", name, err)
	}
	restart := func(ctx context.Context) error {
		r.say("starting %s again (%d replicas)", name, before)
		return setScale(ctx, before)
	}
	selector := labels.SelectorFromSet(sts.Spec.Selector.MatchLabels).String()
	for {
		pods, err := r.Kube.Typed.CoreV1().Pods(r.Namespace).List(ctx, metav1.ListOptions{LabelSelector: selector})
		if err != nil {
			return nil, fmt.Errorf("list pods of %s: %w", name, errors.Join(err, restart(context.Background())))
		}
		if len(pods.Items) == 0 {
			return restart, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s to stop: %w", name, errors.Join(ctx.Err(), restart(context.Background())))
		case <-time.After(PollInterval):
		}
	}
}
