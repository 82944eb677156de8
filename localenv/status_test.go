package localenv

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func TestDesiredReplicasIsWhatTheWorkloadAsksFor(t *testing.T) {
	three := int32(3)
	for _, c := range []struct {
		obj  runtime.Object
		want int32
		ok   bool
	}{
		{&appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: &three}}, 3, true},
		{&appsv1.StatefulSet{}, 1, true}, // unset: the API server's default
		{&batchv1.Job{}, 0, false},
	} {
		if got, ok := desiredReplicas(c.obj); got != c.want || ok != c.ok {
			t.Errorf("%T: got %d %v, want %d %v", c.obj, got, ok, c.want, c.ok)
		}
	}
}
