package convert

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// applyEnvironment sets the environment's knobs on the converted objects and
// adds what the environment exposes. It runs last, so it also hardens what
// the other production steps added.
func (c *converter) applyEnvironment() error {
	env, err := c.environment()
	if err != nil {
		return err
	}
	c.applyReplicas(env)
	c.applyRequests(env)
	c.applyStorage(env)
	c.applyImages(env)
	c.exposePorts(env)
	c.harden(env)
	c.markKnobObjects(env)
	c.rep.note("environment %s: replicas %s, requests %s, ports exposed by %s, metrics %s, logs to %s, backups to %s",
		env.Name, env.Replicas, env.Requests, env.Expose, env.Metrics, env.LogSink, env.Backup.Target)
	return nil
}

// validate checks the knobs that have a closed set of values.
func (e Environment) validate() error {
	bad := func(knob, val, allowed string) error {
		return fmt.Errorf("%w: x-berth.environments.%s.%s: %q is not one of %s", ErrInvalidProject, e.Name, knob, val, allowed)
	}
	if _, err := e.fixedReplicas(); err != nil && e.Replicas != "declared" {
		return bad("replicas", e.Replicas, "declared or a number ≥ 0")
	}
	if e.Requests != "declared" && e.Requests != "none" {
		return bad("requests", e.Requests, "declared, none")
	}
	switch e.Expose {
	case ExposePortForward, ExposeIngress, ExposeGateway, ExposeLoadBalancer, ExposeNodePort:
	default:
		return bad("expose", e.Expose, "portforward, ingress, gateway, loadbalancer, nodeport")
	}
	switch e.Metrics {
	case MetricsNone, MetricsAnnotations, MetricsPrometheusOperator:
	default:
		return bad("metrics", e.Metrics, "none, annotations, prometheus-operator")
	}
	switch e.Backup.Target {
	case BackupNone, BackupPVC, BackupS3:
	default:
		return bad("backup.target", e.Backup.Target, "none, pvc, s3")
	}
	if e.TagPolicy != TagKeep && e.TagPolicy != TagComposeHash && e.TagPolicy != TagGitCommit && !strings.HasPrefix(e.TagPolicy, "fixed:") {
		return bad("tagPolicy", e.TagPolicy, "keep, compose-hash, git-commit, fixed:<tag>")
	}
	for knob, q := range map[string]string{"defaultCPU": e.DefaultCPU, "defaultMemory": e.DefaultMemory, "volumeSize": e.VolumeSize, "backup.size": e.Backup.Size} {
		if _, err := resource.ParseQuantity(q); q != "" && err != nil {
			return bad(knob, q, "Kubernetes quantities")
		}
	}
	return nil
}

// fixedReplicas returns the replica count every workload gets, or an error
// when the environment keeps the declared counts.
func (e Environment) fixedReplicas() (int32, error) {
	n, err := strconv.ParseInt(e.Replicas, 10, 32)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("replicas %q is not a number", e.Replicas)
	}
	return int32(n), nil
}

func (c *converter) applyReplicas(env Environment) {
	n, err := env.fixedReplicas()
	if err != nil {
		return
	}
	for _, o := range c.b.Objects {
		switch w := o.(type) {
		case *appsv1.Deployment:
			w.Spec.Replicas = &n
		case *appsv1.StatefulSet:
			w.Spec.Replicas = &n
		}
	}
}

// podTemplate returns the pod template of a workload object, or nil.
func podTemplateOf(o Object) *corev1.PodTemplateSpec {
	switch w := o.(type) {
	case *appsv1.Deployment:
		return &w.Spec.Template
	case *appsv1.StatefulSet:
		return &w.Spec.Template
	case *appsv1.DaemonSet:
		return &w.Spec.Template
	case *batchv1.Job:
		return &w.Spec.Template
	case *batchv1.CronJob:
		return &w.Spec.JobTemplate.Spec.Template
	}
	return nil
}

// applyRequests removes requests ("none": a laptop schedules everything) or
// gives every container without requests the environment's defaults, never
// above its limits (the API server refuses requests above limits).
func (c *converter) applyRequests(env Environment) {
	for _, o := range c.b.Objects {
		if pt := podTemplateOf(o); pt != nil {
			podRequests(&pt.Spec, env)
		}
	}
}

// podRequests applies the environment's requests to one pod. Init
// containers (backup dumps, log sidecars, depends_on waits) get them too:
// a namespace ResourceQuota on requests refuses a pod if any of its
// containers has none, and a native sidecar's requests add to the pod's.
func podRequests(spec *corev1.PodSpec, env Environment) {
	for _, cts := range [][]corev1.Container{spec.Containers, spec.InitContainers} {
		for i := range cts {
			ct := &cts[i]
			if env.Requests == "none" {
				ct.Resources.Requests = nil
				continue
			}
			defaultRequest(ct, corev1.ResourceCPU, env.DefaultCPU)
			defaultRequest(ct, corev1.ResourceMemory, env.DefaultMemory)
		}
	}
}

func defaultRequest(ct *corev1.Container, name corev1.ResourceName, value string) {
	if value == "" {
		return
	}
	if _, ok := ct.Resources.Requests[name]; ok {
		return
	}
	q, err := resource.ParseQuantity(value)
	if err != nil {
		return
	}
	if limit, ok := ct.Resources.Limits[name]; ok && limit.Cmp(q) < 0 {
		q = limit
	}
	if ct.Resources.Requests == nil {
		ct.Resources.Requests = corev1.ResourceList{}
	}
	ct.Resources.Requests[name] = q
}

// applyStorage sets the environment's storage class and size on the claims of
// compose volumes (PVCs and StatefulSet claim templates).
func (c *converter) applyStorage(env Environment) {
	if env.StorageClass == "" && env.VolumeSize == "" {
		return
	}
	for _, o := range c.b.Objects {
		switch w := o.(type) {
		case *corev1.PersistentVolumeClaim:
			if w.Annotations["berth.dev/compose-volume"] != "" {
				setClaim(&w.Spec, env)
			}
		case *appsv1.StatefulSet:
			for i := range w.Spec.VolumeClaimTemplates {
				setClaim(&w.Spec.VolumeClaimTemplates[i].Spec, env)
			}
		}
	}
}

func setClaim(spec *corev1.PersistentVolumeClaimSpec, env Environment) {
	if env.StorageClass != "" {
		sc := env.StorageClass
		spec.StorageClassName = &sc
	}
	if q, err := resource.ParseQuantity(env.VolumeSize); env.VolumeSize != "" && err == nil {
		spec.Resources.Requests = corev1.ResourceList{corev1.ResourceStorage: q}
	}
}
