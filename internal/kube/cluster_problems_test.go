package kube

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func brokenDeployment(ns, name, image string, cmd ...string) *appsv1.Deployment {
	d := deployment(name, labelled(ns, "shop"), image)
	d.Spec.Template.Spec.Containers[0].ImagePullPolicy = corev1.PullNever
	d.Spec.Template.Spec.Containers[0].Command = cmd
	zero := int64(0)
	d.Spec.Template.Spec.TerminationGracePeriodSeconds = &zero
	return d
}

func TestClusterPodProblemsNameTheReason(t *testing.T) {
	c, ns := clusterClient(t, "kube-problems")
	crash := brokenDeployment(ns, "crash", busybox, "sh", "-c", "echo connecting to db; echo fatal: db unreachable; exit 3")
	noImage := brokenDeployment(ns, "noimage", "localhost/berth/absent:1")
	objs := []runtime.Object{crash, noImage}
	ctx := context.Background()
	if _, err := c.Apply(ctx, objs, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}

	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	failed := map[string]string{}
	err := c.Wait(wctx, objs, func(s ObjectStatus) {
		if s.Status == status.FailedStatus {
			failed[s.Ref.Name] = s.Message
		}
	})
	var nre *NotReadyError
	if !errors.As(err, &nre) || len(nre.Pending) != 2 {
		t.Fatalf("wait on broken deployments: %v", err)
	}
	// A crash loop alternates between running and backing off, so the
	// status at the deadline varies; Wait must have reported Failed with
	// the reason along the way.
	for name, reason := range map[string]string{"crash": "exit code 3", "noimage": "ErrImageNeverPull"} {
		if !strings.Contains(failed[name], reason) {
			t.Errorf("%s: Wait never reported Failed with %s (saw %q)", name, reason, failed[name])
		}
	}

	want := map[string]string{"crash": "CrashLoopBackOff|Error", "noimage": "ErrImageNeverPull"}
	for app, reason := range want {
		p := waitForProblem(t, c, ns, app)
		if !strings.Contains("|"+reason+"|", "|"+p.Reason+"|") {
			t.Errorf("%s: reason %s, want %s (%s)", app, p.Reason, reason, p)
		}
		if app == "crash" && (len(p.Logs) < 2 || p.Logs[len(p.Logs)-1] != "fatal: db unreachable" || p.ExitCode == nil || *p.ExitCode != 3) {
			t.Errorf("crash: logs %q exit %v", p.Logs, p.ExitCode)
		}
		if app == "noimage" && !strings.Contains(p.Message, "absent") {
			t.Errorf("noimage: message %q does not name the image", p.Message)
		}
	}
}

// waitForProblem polls PodProblems for app=NAME (a crash loop needs a
// restart or two before the kubelet says CrashLoopBackOff).
func waitForProblem(t *testing.T, c *Client, ns, app string) PodProblem {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		ps, err := c.PodProblems(context.Background(), ns, "app="+app, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) > 0 {
			return ps[0]
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("no problem reported for %s", app)
	return PodProblem{}
}
