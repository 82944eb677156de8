package convert

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// AnnotationScaleDown on a restore Job names the StatefulSet that must be
// scaled to 0 while it runs (redis restores into the data volume).
const AnnotationScaleDown = "berth.dev/restore-scale-down"

// addRestoreTemplate stores the Job that restores a dump in a ConfigMap
// rather than as a suspended Job: a suspended Job would sit in the
// namespace as never-finished work, and can run only once. `berth restore`
// (or `kubectl create -f`) creates a fresh Job from it, with BACKUP_NAME set.
func (c *converter) addRestoreTemplate(bj *backupJob) bool {
	job, ok := c.restoreJob(bj)
	if !ok {
		return false
	}
	data, err := marshalJob(job)
	if err != nil {
		c.rep.note("backup: %s: no restore template: %v", bj.service, err)
		return false
	}
	cm := &corev1.ConfigMap{
		ObjectMeta: c.meta(RestoreConfigMapName(bj.service), bj.service),
		Data:       map[string]string{RestoreJobKey: string(data)},
	}
	cm.Labels[LabelComponent] = "restore"
	cm.Annotations[AnnotationRestoreOf] = bj.service
	c.add(typeMeta(cm, "", "v1", "ConfigMap"))
	return true
}

// RestoreJob decodes the restore Job template held by a ConfigMap.
func RestoreJob(cm *corev1.ConfigMap) (*batchv1.Job, error) {
	raw, ok := cm.Data[RestoreJobKey]
	if !ok {
		return nil, fmt.Errorf("ConfigMap %s has no %s", cm.Name, RestoreJobKey)
	}
	var job batchv1.Job
	if err := yaml.UnmarshalStrict([]byte(raw), &job); err != nil {
		return nil, fmt.Errorf("ConfigMap %s: %w", cm.Name, err)
	}
	return &job, nil
}

func (c *converter) restoreJob(bj *backupJob) (*batchv1.Job, bool) {
	labels := map[string]string{}
	for k, v := range bj.labels {
		labels[k] = v
	}
	labels[LabelComponent] = "restore"
	noRetry := int32(0)
	spec := corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever}
	annotations := map[string]string{AnnotationService: bj.service}
	env := append(append([]corev1.EnvVar(nil), bj.env...), corev1.EnvVar{Name: "BACKUP_NAME", Value: "latest"})
	s3 := bj.env0.Backup.Target == BackupS3
	var mounts []corev1.VolumeMount
	if s3 {
		fetch := corev1.Container{Name: "fetch", Image: RcloneImage, Command: []string{"sh", "-c", s3FetchScript},
			Env: append(append([]corev1.EnvVar(nil), env...), rcloneEnv(bj.env0.Backup)...), VolumeMounts: []corev1.VolumeMount{workMount()}}
		spec.InitContainers = []corev1.Container{fetch}
		spec.Volumes = []corev1.Volume{workVolume()}
		mounts = []corev1.VolumeMount{workMount()}
	} else {
		spec.Volumes = []corev1.Volume{c.backupVolume(bj.service)}
		mounts = []corev1.VolumeMount{{Name: "backups", MountPath: "/backups", ReadOnly: true}}
	}
	if bj.spec.restoreToVolume {
		claim, dir, sts := c.dataClaim(bj.service)
		if claim == "" {
			c.rep.note("backup: %s has no data volume: its dumps can be restored by hand only (redis loads data at start from its volume)", bj.service)
			return nil, false
		}
		spec.Volumes = append(spec.Volumes, corev1.Volume{Name: "data", VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim}}})
		mounts = append(mounts, corev1.VolumeMount{Name: "data", MountPath: dir})
		env = append(env, corev1.EnvVar{Name: "DATA_DIR", Value: dir})
		if sts != "" {
			annotations[AnnotationScaleDown] = sts
		}
	}
	script := pvcRestoreScript(bj.spec)
	if s3 {
		script = s3RestoreScript(bj.spec)
	}
	spec.Containers = []corev1.Container{{Name: "restore", Image: bj.image, Command: []string{"sh", "-c", script}, Env: env, VolumeMounts: mounts}}
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: childName(DNSName(bj.service), "restore"), Namespace: c.namespace, Labels: labels, Annotations: annotations},
		Spec: batchv1.JobSpec{BackoffLimit: &noRetry, Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: spec}},
	}
	c.hardenRestore(&job.Spec.Template.Spec, bj.env0)
	typeMeta(job, "batch", "v1", KindJob)
	return job, true
}

// hardenRestore gives the restore Job what applyEnvironment gives the backup
// CronJob (seccomp RuntimeDefault, no privilege escalation, the dangerous
// capabilities dropped, the environment's requests): the Job is stored as
// text in a ConfigMap, out of that step's reach, and runs the same tools.
func (c *converter) hardenRestore(spec *corev1.PodSpec, env Environment) {
	seccomp(spec)
	for _, cts := range [][]corev1.Container{spec.InitContainers, spec.Containers} {
		for i := range cts {
			c.hardenContainer(&cts[i])
		}
	}
	podRequests(spec, env)
}

// dataClaim finds the claim holding service's data (pod 0 of a StatefulSet,
// or a plain PVC), where it is mounted, and the StatefulSet to stop.
func (c *converter) dataClaim(service string) (claim, dir, sts string) {
	for _, o := range c.index().ofService[service] {
		switch w := o.(type) {
		case *appsv1.StatefulSet:
			for _, t := range w.Spec.VolumeClaimTemplates {
				if d := mountPathOf(w.Spec.Template.Spec, service, t.Name); d != "" {
					return t.Name + "-" + w.Name + "-0", d, w.Name
				}
			}
			// a volume it shares with other services is a plain PVC
			if claim, d := podClaim(w.Spec.Template.Spec, service); claim != "" {
				return claim, d, w.Name
			}
		case *appsv1.Deployment:
			if claim, d := podClaim(w.Spec.Template.Spec, service); claim != "" {
				return claim, d, ""
			}
		}
	}
	return "", "", ""
}

// podClaim finds the first PVC of a pod that service's container mounts.
func podClaim(spec corev1.PodSpec, service string) (claim, dir string) {
	for _, v := range spec.Volumes {
		if v.PersistentVolumeClaim != nil {
			if d := mountPathOf(spec, service, v.Name); d != "" {
				return v.PersistentVolumeClaim.ClaimName, d
			}
		}
	}
	return "", ""
}

func mountPathOf(spec corev1.PodSpec, service, volume string) string {
	for _, ct := range spec.Containers {
		if ct.Name != DNSName(service) {
			continue
		}
		for _, m := range ct.VolumeMounts {
			if m.Name == volume && !m.ReadOnly {
				return m.MountPath
			}
		}
	}
	return ""
}

// allowBackupTraffic lets the backup and restore pods reach the database
// (an extra ingress rule on its policy) and, with an S3 target, the bucket.
func (c *converter) allowBackupTraffic(bj *backupJob) {
	port := npPort(int32(atoiOr(envValue(bj.env, "DB_PORT"), int(bj.spec.port))), corev1.ProtocolTCP)
	peer := networkingv1.NetworkPolicyPeer{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{LabelBackupOf: DNSName(bj.service)}}}
	for _, np := range c.index().policies[DNSName(bj.service)] {
		np.Spec.Ingress = append(np.Spec.Ingress, networkingv1.NetworkPolicyIngressRule{From: []networkingv1.NetworkPolicyPeer{peer}, Ports: []networkingv1.NetworkPolicyPort{port}})
	}
	np := c.newPolicy(childName(DNSName(bj.service), "backup"), bj.service, metav1.LabelSelector{MatchLabels: map[string]string{LabelBackupOf: DNSName(bj.service)}})
	np.Spec.Egress = []networkingv1.NetworkPolicyEgressRule{{
		To: []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: c.selectorLabels(bj.service)}}}, Ports: []networkingv1.NetworkPolicyPort{port},
	}}
	if bj.env0.Backup.Target == BackupS3 {
		np.Spec.Egress = append(np.Spec.Egress, externalEgressRule())
	}
	c.add(np)
	c.rep.note("network policy: backup and restore pods of %s → %s on %d/TCP (backups)", bj.service, bj.service, port.Port.IntVal)
}

func envValue(env []corev1.EnvVar, name string) string {
	for _, e := range env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func atoiOr(s string, def int) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return def
		}
		n = n*10 + int(r-'0')
	}
	if s == "" {
		return def
	}
	return n
}
