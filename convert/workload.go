package convert

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Workload kinds berth renders.
const (
	KindDeployment  = "Deployment"
	KindStatefulSet = "StatefulSet"
	KindDaemonSet   = "DaemonSet"
	KindJob         = "Job"
)

// databaseImages are images whose containers keep data, so they become StatefulSets.
var databaseImages = []string{
	"postgres", "postgresql", "postgis", "timescaledb", "mysql", "mariadb", "percona", "mongo",
	"mongodb", "redis", "redismod", "valkey", "keydb", "elasticsearch", "opensearch", "cassandra",
	"scylla", "couchdb", "influxdb", "neo4j", "rabbitmq", "zookeeper", "kafka", "etcd",
	"clickhouse", "cockroach", "minio", "memcached", "timescale", "questdb",
}

// toolSuffixes mark images that sit next to a database without keeping its
// data: postgres-exporter, mongo-express, redis-commander, kafka-ui.
var toolSuffixes = []string{
	"exporter", "express", "commander", "ui", "admin", "insight", "client", "cli", "web", "gui",
	"dashboard", "browser", "proxy", "operator", "manager", "backup", "connect", "rest",
}

// isToolImage reports whether an image base ends in a tool suffix.
func isToolImage(base string) bool {
	for _, t := range toolSuffixes {
		if hasSuffixAfter(base, t, '-') || hasSuffixAfter(base, t, '_') {
			return true
		}
	}
	return false
}

// hasPrefixBefore is strings.HasPrefix(s, prefix+string(sep)) without
// joining the two (these run over every image, for every service).
func hasPrefixBefore(s, prefix string, sep byte) bool {
	return len(s) > len(prefix) && s[len(prefix)] == sep && strings.HasPrefix(s, prefix)
}

// hasSuffixAfter is strings.HasSuffix(s, string(sep)+suffix), likewise.
func hasSuffixAfter(s, suffix string, sep byte) bool {
	return len(s) > len(suffix) && s[len(s)-len(suffix)-1] == sep && strings.HasSuffix(s, suffix)
}

// imageBase returns the last path element of an image without tag or digest:
// "docker.io/library/postgres:15" → "postgres".
func imageBase(image string) string {
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndex(image, "/"); i >= 0 {
		image = image[i+1:]
	}
	if i := strings.Index(image, ":"); i >= 0 {
		image = image[:i]
	}
	return strings.ToLower(image)
}

// isDatabaseImage reports whether image is a well-known stateful image.
func isDatabaseImage(image string) bool {
	base := imageBase(image)
	if isToolImage(base) {
		return false
	}
	for _, db := range databaseImages {
		if base == db || hasPrefixBefore(base, db, '-') {
			return true
		}
	}
	return false
}

// IsWorkloadKind tells the kinds berth runs a compose service's pods with.
func IsWorkloadKind(kind string) bool {
	switch kind {
	case KindDeployment, KindStatefulSet, KindDaemonSet, KindJob:
		return true
	}
	return false
}

// workloadKind decides the controller of a service and says why.
func (c *converter) workloadKind(s types.ServiceConfig, ext ServiceExt) (string, string) {
	kind := ext.Kind
	why := "x-berth.kind"
	if kind == "" && s.Labels["kompose.controller.type"] != "" {
		kind, why = s.Labels["kompose.controller.type"], "label kompose.controller.type"
	}
	switch strings.ToLower(kind) {
	case "deployment":
		return KindDeployment, why
	case "statefulset":
		return KindStatefulSet, why
	case "daemonset":
		return KindDaemonSet, why
	case "job":
		return KindJob, why
	}
	if c.completedDeps[s.Name] {
		return KindJob, "others wait for it with service_completed_successfully"
	}
	if s.Deploy != nil && s.Deploy.Mode == "global" {
		return KindDaemonSet, "deploy.mode: global"
	}
	if s.Deploy != nil && s.Deploy.Mode == "replicated-job" {
		return KindJob, "deploy.mode: replicated-job"
	}
	if c.writesNamedVolume(s) {
		return KindStatefulSet, "it writes to a named volume"
	}
	if isDatabaseImage(s.Image) {
		return KindStatefulSet, fmt.Sprintf("%s is a database image", imageBase(s.Image))
	}
	return KindDeployment, "stateless"
}

func (c *converter) writesNamedVolume(s types.ServiceConfig) bool {
	for _, v := range s.Volumes {
		if v.Type == types.VolumeTypeVolume && v.Source != "" && !v.ReadOnly {
			return true
		}
	}
	return false
}

// replicas returns the service's replica count (deploy.replicas, then scale).
func replicas(s types.ServiceConfig) int32 {
	if s.Deploy != nil && s.Deploy.Replicas != nil {
		return int32(*s.Deploy.Replicas)
	}
	if s.Scale != nil {
		return int32(*s.Scale)
	}
	return 1
}

func (c *converter) convertService(s types.ServiceConfig) error {
	if owner, ok := c.podOwner[s.Name]; ok {
		c.rep.approx(s.Name, "network_mode", "runs as a second container in the pod of %q (they share localhost)", owner)
		if s.Image != "" {
			c.rep.mapped(s.Name, "image", "container %s in the pod of %q", DNSName(s.Name), owner)
		}
		c.reportRest(s, "")
		return nil
	}
	ext, err := serviceExt(s)
	if err != nil {
		return err
	}
	kind, why := c.workloadKind(s, ext)
	c.rep.mapped(s.Name, "image", kind+" ("+why+")")
	pod, claims, err := c.podTemplate(s, ext, kind)
	if err != nil {
		return err
	}
	switch kind {
	case KindStatefulSet:
		c.add(c.statefulSet(s, pod, claims))
	case KindDaemonSet:
		c.add(c.daemonSet(s, pod))
	case KindJob:
		c.add(c.job(s, pod))
	default:
		c.add(c.deployment(s, pod))
	}
	c.addServices(s, kind)
	c.reportRest(s, kind)
	return nil
}

func (c *converter) deployment(s types.ServiceConfig, pod corev1.PodTemplateSpec) Object {
	n := replicas(s)
	d := &appsv1.Deployment{
		ObjectMeta: c.meta(DNSName(s.Name), s.Name),
		Spec: appsv1.DeploymentSpec{
			Replicas: &n,
			Selector: &metav1.LabelSelector{MatchLabels: c.selectorLabels(s.Name)},
			Template: pod,
			Strategy: c.deploymentStrategy(s),
		},
	}
	return typeMeta(d, "apps", "v1", KindDeployment)
}

// deploymentStrategy maps deploy.update_config; services with a readiness
// probe never go below their replica count during a rollout.
func (c *converter) deploymentStrategy(s types.ServiceConfig) appsv1.DeploymentStrategy {
	// the update and what it points to, in one allocation
	b := &struct {
		update             appsv1.RollingUpdateDeployment
		unavailable, surge intstr.IntOrString
	}{}
	unavailable, surge := &b.unavailable, &b.surge
	*unavailable = intstr.FromInt32(0)
	*surge = intstr.FromString("25%")
	if s.HealthCheck == nil || s.HealthCheck.Disable {
		*unavailable = intstr.FromString("25%")
	}
	if s.Deploy != nil && s.Deploy.UpdateConfig != nil {
		u := s.Deploy.UpdateConfig
		if u.Parallelism != nil && *u.Parallelism > 0 {
			*surge = intstr.FromInt32(int32(*u.Parallelism))
		}
		if u.Order == "stop-first" {
			if u.Parallelism != nil && *u.Parallelism > 0 {
				*unavailable = intstr.FromInt32(int32(*u.Parallelism))
			} else {
				*unavailable = intstr.FromInt32(1)
			}
			*surge = intstr.FromInt32(0)
		}
		c.rep.approx(s.Name, "deploy.update_config", "RollingUpdate maxSurge %s, maxUnavailable %s; delay, monitor and failure_action have no equivalent", surge.String(), unavailable.String())
	}
	b.update = appsv1.RollingUpdateDeployment{MaxUnavailable: unavailable, MaxSurge: surge}
	return appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &b.update}
}

func (c *converter) statefulSet(s types.ServiceConfig, pod corev1.PodTemplateSpec, claims []corev1.PersistentVolumeClaim) Object {
	n := replicas(s)
	st := &appsv1.StatefulSet{
		ObjectMeta: c.meta(statefulSetName(s.Name), s.Name),
		Spec: appsv1.StatefulSetSpec{
			Replicas:             &n,
			ServiceName:          c.headlessName(s.Name),
			Selector:             &metav1.LabelSelector{MatchLabels: c.selectorLabels(s.Name)},
			Template:             pod,
			VolumeClaimTemplates: claims,
			PersistentVolumeClaimRetentionPolicy: &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
				WhenDeleted: appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
				WhenScaled:  appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
			},
		},
	}
	return typeMeta(st, "apps", "v1", KindStatefulSet)
}

func (c *converter) daemonSet(s types.ServiceConfig, pod corev1.PodTemplateSpec) Object {
	d := &appsv1.DaemonSet{
		ObjectMeta: c.meta(DNSName(s.Name), s.Name),
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: c.selectorLabels(s.Name)},
			Template: pod,
		},
	}
	return typeMeta(d, "apps", "v1", KindDaemonSet)
}

func (c *converter) job(s types.ServiceConfig, pod corev1.PodTemplateSpec) Object {
	backoff := int32(6)
	if s.Deploy != nil && s.Deploy.RestartPolicy != nil && s.Deploy.RestartPolicy.MaxAttempts != nil {
		backoff = int32(*s.Deploy.RestartPolicy.MaxAttempts)
	}
	pod.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
	if s.Restart == types.RestartPolicyNo {
		pod.Spec.RestartPolicy = corev1.RestartPolicyNever
		backoff = 0
	}
	j := &batchv1.Job{
		ObjectMeta: c.meta(DNSName(s.Name), s.Name),
		Spec: batchv1.JobSpec{
			BackoffLimit: &backoff,
			Template:     pod,
		},
	}
	if n := replicas(s); s.Deploy != nil && s.Deploy.Mode == "replicated-job" && n > 1 {
		// swarm runs `replicas` tasks to completion, all at once
		j.Spec.Completions, j.Spec.Parallelism = &n, &n
	}
	return typeMeta(j, "batch", "v1", KindJob)
}
