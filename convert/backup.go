package convert

import (
	"fmt"
	"strconv"

	"github.com/compose-spec/compose-go/v2/types"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Labels of backup and restore pods. They never carry the database's
// selector labels, so its Service never routes to them.
const (
	LabelBackupOf = "berth.dev/backup-of"
	// AnnotationRestoreOf marks the ConfigMap holding a restore Job template.
	AnnotationRestoreOf = "berth.dev/restore-of"
	// RestoreJobKey is the ConfigMap key holding the restore Job manifest.
	RestoreJobKey = "job.yaml"
)

// RcloneImage uploads and downloads dumps to S3-compatible storage.
const RcloneImage = "docker.io/rclone/rclone:1.68.2"

// backupJob is what one database's backup needs to know.
type backupJob struct {
	service string // compose service
	engine  string
	spec    dbSpec
	image   string          // the database's own image: its tools match the server
	env     []corev1.EnvVar // DB_HOST, DB_PORT, prefix, retention and credentials
	labels  map[string]string
	env0    Environment
}

// BackupCronJobName is the CronJob backing up a service.
func BackupCronJobName(service string) string {
	return truncateName(DNSName(service)+"-backup", 52, service+"/backup")
}

// RestoreConfigMapName is the ConfigMap holding a service's restore Job.
func RestoreConfigMapName(service string) string {
	return childName(DNSName(service), "restore")
}

// BackupPVCName is the local backup volume of a service.
func BackupPVCName(service string) string {
	return childName(DNSName(service), "backups")
}

// backups adds, for every database service, a CronJob dumping it with the
// database's own tool to the environment's target, with retention, and a
// ConfigMap holding the Job that restores a dump.
func (c *converter) backups() error {
	env, err := c.environment()
	if err != nil {
		return err
	}
	for _, n := range c.serviceNames() {
		engine := dbEngine(c.p.Services[n].Image) // not a copy of every service
		if engine == "" || c.podOwner[n] != "" {
			continue
		}
		s := c.p.Services[n]
		if env.Backup.Target == BackupNone {
			c.rep.note("backup: %s (%s) is not backed up: environment %s has backup.target none", n, engine, env.Name)
			continue
		}
		bj, ok := c.newBackupJob(s, engine, env)
		if !ok {
			continue
		}
		c.addBackup(bj)
	}
	return nil
}

func (c *converter) newBackupJob(s types.ServiceConfig, engine string, env Environment) (*backupJob, bool) {
	_, main := c.workloadContainer(s.Name)
	if main == nil {
		return nil, false
	}
	spec := dbSpecs[engine]
	port := spec.port
	if ports := c.portsOfService(s.Name); len(ports) > 0 && ports[0].protocol == corev1.ProtocolTCP {
		port = ports[0].port
	}
	bj := &backupJob{service: s.Name, engine: engine, spec: spec, image: main.Image, env0: env,
		// No managed-by label: `up` and `promote` prune what carries it and
		// is not rendered, which the Jobs of a CronJob never are.
		labels: map[string]string{LabelPartOf: c.project, LabelComponent: "backup", LabelBackupOf: DNSName(s.Name)}}
	bj.env = []corev1.EnvVar{
		{Name: "DB_HOST", Value: DNSName(s.Name)},
		{Name: "DB_PORT", Value: strconv.Itoa(int(port))},
		{Name: "BACKUP_PREFIX", Value: DNSName(s.Name)},
		{Name: "BACKUP_EXT", Value: spec.ext},
		{Name: "RETAIN", Value: strconv.Itoa(max(env.Backup.Retention, 1))},
	}
	for _, v := range spec.credVars {
		for _, e := range main.Env {
			if e.Name == v {
				bj.env = append(bj.env, e)
			}
		}
	}
	return bj, true
}

// workloadContainer returns the pod template and main container of the
// workload running service, or nils.
func (c *converter) workloadContainer(service string) (*corev1.PodTemplateSpec, *corev1.Container) {
	for _, pt := range c.podTemplatesOf(service) {
		for i := range pt.Spec.Containers {
			if pt.Spec.Containers[i].Name == DNSName(service) {
				return pt, &pt.Spec.Containers[i]
			}
		}
	}
	return nil, nil
}

// podTemplatesOf returns, in object order, the pod templates of the
// objects (but CronJobs) annotated with service. Objects are only ever
// appended while converting, so the index grows with them instead of
// every call scanning every object (quadratic on large projects).
func (c *converter) podTemplatesOf(service string) []*corev1.PodTemplateSpec {
	if c.podTemplates == nil {
		c.podTemplates = map[string][]*corev1.PodTemplateSpec{}
	}
	for ; c.podTemplatesIndexed < len(c.b.Objects); c.podTemplatesIndexed++ {
		o := c.b.Objects[c.podTemplatesIndexed]
		if Kind(o) == "CronJob" {
			continue
		}
		if pt := podTemplateOf(o); pt != nil {
			s := o.GetAnnotations()[AnnotationService]
			c.podTemplates[s] = append(c.podTemplates[s], pt)
		}
	}
	return c.podTemplates[service]
}

func (c *converter) addBackup(bj *backupJob) {
	pod := c.backupPod(bj)
	three, two := int32(3), int32(2)
	cj := &batchv1.CronJob{
		ObjectMeta: c.meta(BackupCronJobName(bj.service), bj.service),
		Spec: batchv1.CronJobSpec{
			Schedule:                   bj.env0.Backup.Schedule,
			ConcurrencyPolicy:          batchv1.ForbidConcurrent,
			SuccessfulJobsHistoryLimit: &three,
			FailedJobsHistoryLimit:     &three,
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: bj.labels},
				Spec:       batchv1.JobSpec{BackoffLimit: &two, Template: pod},
			},
		},
	}
	cj.Labels[LabelComponent] = "backup"
	c.add(typeMeta(cj, "batch", "v1", "CronJob"))
	where := fmt.Sprintf("PVC %s (keeps the newest %d)", BackupPVCName(bj.service), bj.env0.Backup.Retention)
	if bj.env0.Backup.Target == BackupS3 {
		c.addS3Secret(bj.env0.Backup.Secret)
		where = fmt.Sprintf("s3 bucket %s/%s via rclone, Secret %s (keeps the newest %d)", bj.env0.Backup.Bucket, DNSName(bj.service), bj.env0.Backup.Secret, bj.env0.Backup.Retention)
	} else {
		c.addBackupPVC(bj)
	}
	restore := "no restore template"
	if c.addRestoreTemplate(bj) {
		restore = "restore Job template in ConfigMap " + RestoreConfigMapName(bj.service)
	}
	c.rep.note("backup: %s (%s) → CronJob %s, %s, schedule %q, to %s; %s",
		bj.service, bj.engine, cj.Name, bj.spec.tool, bj.env0.Backup.Schedule, where, restore)
	c.warnCredentials(bj)
	c.allowBackupTraffic(bj)
}

// warnCredentials reports credentials given as files, which the backup pod
// does not mount.
func (c *converter) warnCredentials(bj *backupJob) {
	s := c.p.Services[bj.service]
	for _, v := range bj.spec.credVars {
		if val, ok := s.Environment[v+"_FILE"]; ok && val != nil {
			c.rep.approx(bj.service, "environment."+v+"_FILE", "the backup CronJob reads credentials from environment variables only; set %s too (from the same Secret)", v)
		}
	}
}

// backupPod is the pod of the backup CronJob.
func (c *converter) backupPod(bj *backupJob) corev1.PodTemplateSpec {
	spec := corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever}
	if bj.env0.Backup.Target == BackupS3 {
		spec.Volumes = []corev1.Volume{workVolume()}
		spec.InitContainers = []corev1.Container{bj.container("dump", bj.image, s3DumpScript(bj.spec), workMount())}
		up := bj.container("upload", RcloneImage, s3UploadScript, workMount())
		up.Env = append(up.Env, rcloneEnv(bj.env0.Backup)...)
		spec.Containers = []corev1.Container{up}
	} else {
		spec.Volumes = []corev1.Volume{c.backupVolume(bj.service)}
		spec.Containers = []corev1.Container{bj.container("backup", bj.image, pvcBackupScript(bj.spec),
			corev1.VolumeMount{Name: "backups", MountPath: "/backups"})}
	}
	return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: bj.labels}, Spec: spec}
}

func (bj *backupJob) container(name, image, script string, mounts ...corev1.VolumeMount) corev1.Container {
	return corev1.Container{
		Name: name, Image: image, Command: []string{"sh", "-c", script},
		Env: append([]corev1.EnvVar(nil), bj.env...), VolumeMounts: mounts,
	}
}

func workVolume() corev1.Volume {
	return corev1.Volume{Name: "work", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}
}

func workMount() corev1.VolumeMount { return corev1.VolumeMount{Name: "work", MountPath: "/work"} }

func (c *converter) backupVolume(service string) corev1.Volume {
	return corev1.Volume{Name: "backups", VolumeSource: corev1.VolumeSource{
		PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: BackupPVCName(service)},
	}}
}

// rcloneEnv configures rclone's remote "dst" from the environment's Secret
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, and AWS_ENDPOINT_URL for
// S3-compatible stores), without a config file or keys on a command line.
func rcloneEnv(b Backup) []corev1.EnvVar {
	ref := func(name, key string, optional bool) corev1.EnvVar {
		v := secretEnvVar(name, b.Secret, key)
		v.ValueFrom.SecretKeyRef.Optional = &optional
		return v
	}
	return []corev1.EnvVar{
		{Name: "S3_BUCKET", Value: b.Bucket},
		{Name: "RCLONE_CONFIG_DST_TYPE", Value: "s3"},
		{Name: "RCLONE_CONFIG_DST_PROVIDER", Value: "Other"},
		{Name: "RCLONE_CONFIG_DST_ENV_AUTH", Value: "true"},
		ref("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID", false),
		ref("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", false),
		ref("RCLONE_CONFIG_DST_ENDPOINT", "AWS_ENDPOINT_URL", true),
	}
}

// addS3Secret declares the backup Secret once; `berth promote` fills its
// values from the variables of the same names.
func (c *converter) addS3Secret(name string) {
	if c.index().secrets[name] {
		return
	}
	data := map[string]string{}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_ENDPOINT_URL", "AWS_SECRET_ACCESS_KEY"} {
		data[k] = ""
		c.b.Secrets = append(c.b.Secrets, SecretSource{Secret: name, Key: k, EnvVar: k})
	}
	sec := &corev1.Secret{ObjectMeta: c.meta(name, ""), Type: corev1.SecretTypeOpaque, StringData: data}
	sec.Annotations[AnnotationSecretValues] = "omitted: `berth promote` fills them from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL"
	c.add(typeMeta(sec, "", "v1", "Secret"))
}

func (c *converter) addBackupPVC(bj *backupJob) {
	size := bj.env0.Backup.Size
	if size == "" {
		size = DefaultVolumeSize
	}
	q, err := resource.ParseQuantity(size)
	if err != nil {
		q = resource.MustParse(DefaultVolumeSize)
	}
	pvc := &corev1.PersistentVolumeClaim{
		ObjectMeta: c.meta(BackupPVCName(bj.service), bj.service),
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: q}},
		},
	}
	pvc.Labels[LabelComponent] = "backup"
	c.add(typeMeta(pvc, "", "v1", "PersistentVolumeClaim"))
}
