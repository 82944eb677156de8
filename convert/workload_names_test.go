package convert_test

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
)

// A StatefulSet's controller labels each pod "<name>-<10-character hash>",
// which must fit a 63-character label value: berth keeps StatefulSet names
// within 52 (a longer one is accepted by the API server but never gets a
// pod), while Deployments keep the whole DNS name.
func TestStatefulSetNamesLeaveRoomForTheRevisionLabel(t *testing.T) {
	long := strings.Repeat("database", 7) // 56 characters
	b, err := convertYAML(t, "services:\n  "+long+":\n    image: postgres:16\n  "+long+"-web:\n    image: nginx\n", "prod")
	if err != nil {
		t.Fatal(err)
	}
	var sts *appsv1.StatefulSet
	var dep *appsv1.Deployment
	for _, o := range b.Objects {
		switch w := o.(type) {
		case *appsv1.StatefulSet:
			sts = w
		case *appsv1.Deployment:
			if w.Annotations["berth.dev/compose-service"] == long+"-web" {
				dep = w
			}
		}
	}
	if sts == nil || dep == nil {
		t.Fatal("want a StatefulSet for the database and a Deployment for the web service")
	}
	if n := len(sts.Name); n > 52 {
		t.Errorf("StatefulSet %s is %d characters; its pods' revision label would be %d", sts.Name, n, n+11)
	}
	if dep.Name != long+"-web" {
		t.Errorf("Deployment %s: a 60-character name fits as it is", dep.Name)
	}
}

// deploy.mode replicated-job is a Job run to completion `replicas` times.
func TestReplicatedJobIsAJob(t *testing.T) {
	b, err := convertYAML(t, "services:\n  seed:\n    image: busybox\n    deploy:\n      mode: replicated-job\n      replicas: 3\n", "prod")
	if err != nil {
		t.Fatal(err)
	}
	j := find[*batchv1.Job](b, "seed")
	if j == nil {
		t.Fatal("no Job seed")
	}
	if j.Spec.Completions == nil || *j.Spec.Completions != 3 || j.Spec.Parallelism == nil || *j.Spec.Parallelism != 3 {
		t.Errorf("Job seed: completions %v, parallelism %v, want 3 and 3", j.Spec.Completions, j.Spec.Parallelism)
	}
}
