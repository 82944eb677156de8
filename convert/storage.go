package convert

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// DefaultVolumeSize is the size of a PVC when nothing says otherwise.
const DefaultVolumeSize = "1Gi"

// podVolumes collects the volumes of one pod, each once.
type podVolumes struct {
	byName         map[string]corev1.Volume
	claimTemplates []corev1.PersistentVolumeClaim
	claimed        map[string]bool
}

func newPodVolumes() *podVolumes {
	return &podVolumes{byName: map[string]corev1.Volume{}, claimed: map[string]bool{}}
}

func (v *podVolumes) add(vol corev1.Volume) {
	if _, ok := v.byName[vol.Name]; !ok {
		v.byName[vol.Name] = vol
	}
}

func (v *podVolumes) list() []corev1.Volume {
	out := make([]corev1.Volume, 0, len(v.byName))
	for _, name := range sortedKeys(v.byName) {
		out = append(out, v.byName[name])
	}
	return out
}

// mounts maps a service's volumes, tmpfs, shm_size, secrets and configs.
func (c *converter) mounts(s types.ServiceConfig, vols *podVolumes, kind string) ([]corev1.VolumeMount, error) {
	var out []corev1.VolumeMount
	for i, v := range s.Volumes {
		m, err := c.volumeMount(s, v, i, vols, kind)
		if err != nil {
			return nil, err
		}
		if m != nil {
			out = append(out, *m)
		}
	}
	out = append(out, c.tmpfsMounts(s, vols)...)
	sec, err := c.secretMounts(s, vols)
	if err != nil {
		return nil, err
	}
	out = append(out, sec...)
	cfg, err := c.configMounts(s, vols)
	if err != nil {
		return nil, err
	}
	out = append(out, cfg...)
	if len(s.VolumesFrom) > 0 {
		c.rep.dropped(s.Name, "volumes_from", "pods cannot mount another pod's volumes; mount the same named volume instead")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].MountPath < out[j].MountPath })
	return out, nil
}

func (c *converter) volumeMount(s types.ServiceConfig, v types.ServiceVolumeConfig, i int, vols *podVolumes, kind string) (*corev1.VolumeMount, error) {
	key := "volumes[" + strconv.Itoa(i) + "]"
	switch v.Type {
	case types.VolumeTypeVolume:
		return c.namedVolumeMount(s, v, key, vols, kind), nil
	case types.VolumeTypeTmpfs:
		name := fmt.Sprintf("tmpfs-%d", i)
		vols.add(memoryVolume(name, v.Tmpfs))
		c.rep.mapped(s.Name, key, "emptyDir (Memory) at %s", v.Target)
		return &corev1.VolumeMount{Name: name, MountPath: v.Target}, nil
	case types.VolumeTypeBind:
		return c.bindMount(s, v, key, vols)
	default:
		c.rep.dropped(s.Name, key, "volume type %q has no Kubernetes equivalent", v.Type)
		return nil, nil
	}
}

// namedVolumeMount mounts a named volume from a PVC (or a StatefulSet's
// claim template); an anonymous volume becomes an emptyDir.
func (c *converter) namedVolumeMount(s types.ServiceConfig, v types.ServiceVolumeConfig, key string, vols *podVolumes, kind string) *corev1.VolumeMount {
	if v.Source == "" {
		name := "anon-" + shortHash(v.Target)
		vols.add(corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}})
		c.rep.approx(s.Name, key, "anonymous volume at %s: emptyDir (lives as long as the pod)", v.Target)
		return &corev1.VolumeMount{Name: name, MountPath: v.Target, ReadOnly: v.ReadOnly}
	}
	name := DNSName(v.Source)
	m := &corev1.VolumeMount{Name: name, MountPath: v.Target, ReadOnly: v.ReadOnly}
	if v.Volume != nil && v.Volume.Subpath != "" {
		m.SubPath = v.Volume.Subpath
	}
	others := c.sharedWith(v.Source, s.Name)
	if kind == KindStatefulSet && !c.isExternalVolume(v.Source) && len(others) == 0 {
		if !vols.claimed[name] {
			vols.claimed[name] = true
			pvc := c.pvc(name, v.Source, s)
			// volumeClaimTemplates are immutable: nothing that changes with
			// the compose content (its hash, the git commit) may go in them
			meta := pvc.ObjectMeta
			meta.Namespace = ""
			delete(meta.Annotations, AnnotationComposeHash)
			delete(meta.Annotations, AnnotationGitCommit)
			vols.claimTemplates = append(vols.claimTemplates, corev1.PersistentVolumeClaim{ObjectMeta: meta, Spec: pvc.Spec})
		}
		c.rep.mapped(s.Name, key, "volumeClaimTemplate %s (%s) at %s, kept on scale-down and delete", name, c.volumeSize(v.Source, s), v.Target)
		return m
	}
	vols.add(corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
		PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: c.claimName(v.Source), ReadOnly: v.ReadOnly},
	}})
	c.usedVolume(v.Source, s)
	if len(others) > 0 {
		c.rep.mapped(s.Name, key, "PersistentVolumeClaim %s at %s, shared with %s as in compose", c.claimName(v.Source), v.Target, strings.Join(others, ", "))
		return m
	}
	c.rep.mapped(s.Name, key, "PersistentVolumeClaim %s at %s", c.claimName(v.Source), v.Target)
	return m
}

func memoryVolume(name string, t *types.ServiceVolumeTmpfs) corev1.Volume {
	ed := &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}
	if t != nil && t.Size > 0 {
		q := resource.NewQuantity(int64(t.Size), resource.BinarySI)
		ed.SizeLimit = q
	}
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: ed}}
}

// tmpfsMounts maps the `tmpfs` list and shm_size to memory-backed emptyDirs.
func (c *converter) tmpfsMounts(s types.ServiceConfig, vols *podVolumes) []corev1.VolumeMount {
	var out []corev1.VolumeMount
	for i, t := range s.Tmpfs {
		target, _, _ := cutColon(t)
		name := fmt.Sprintf("tmp-%d", i)
		vols.add(memoryVolume(name, nil))
		out = append(out, corev1.VolumeMount{Name: name, MountPath: target})
	}
	if len(s.Tmpfs) > 0 {
		c.rep.mapped(s.Name, "tmpfs", "emptyDir (Memory)")
	}
	if s.ShmSize > 0 {
		vols.add(memoryVolume("dshm", &types.ServiceVolumeTmpfs{Size: s.ShmSize}))
		out = append(out, corev1.VolumeMount{Name: "dshm", MountPath: "/dev/shm"})
	}
	return out
}

func cutColon(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// bindMount maps a bind-mounted single file to a ConfigMap mounted at the same
// path; directories are recorded for `up`, which mounts them in local only.
func (c *converter) bindMount(s types.ServiceConfig, v types.ServiceVolumeConfig, key string, vols *podVolumes) (*corev1.VolumeMount, error) {
	if msg, bad := c.opts.FileErrors[v.Source]; bad {
		return nil, fmt.Errorf("%w: %s: %s", ErrInvalidProject, key, msg)
	}
	data, isFile := c.opts.Files[v.Source]
	if !isFile {
		c.b.Binds = append(c.b.Binds, BindMount{Service: s.Name, Source: v.Source, Target: v.Target, ReadOnly: v.ReadOnly})
		if c.opts.HostBinds {
			return c.hostBind(s, v, key, vols), nil
		}
		c.rep.approx(s.Name, key, "bind mount of host path %s: not in the manifests; `berth up` mounts it in the local environment (bake it into the image for prod)", c.relPath(v.Source))
		return nil, nil
	}
	cmName := childName(DNSName(s.Name), "files")
	fileKey := secretKeyName(path.Base(v.Target)) + "-" + shortHash(v.Target)
	c.addConfigMapKey(cmName, s.Name, fileKey, data)
	vols.add(corev1.Volume{Name: "files", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
		LocalObjectReference: corev1.LocalObjectReference{Name: cmName},
	}}})
	c.rep.mapped(s.Name, key, "bind-mounted file %s: ConfigMap %s mounted at %s", c.relPath(v.Source), cmName, v.Target)
	return &corev1.VolumeMount{Name: "files", MountPath: v.Target, SubPath: fileKey, ReadOnly: true}, nil
}

// hostBind mounts a host directory into the pod: the kind node mounts the
// host's directories at the same path, so the pod sees edits at once. Only
// `berth up` asks for it; the manifests of every environment leave it out.
func (c *converter) hostBind(s types.ServiceConfig, v types.ServiceVolumeConfig, key string, vols *podVolumes) *corev1.VolumeMount {
	name := "bind-" + shortHash(v.Source)
	// no type: the source may be a directory or a host file (/etc/localtime)
	vols.add(corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: v.Source}}})
	c.rep.approx(s.Name, key, "bind mount of host path %s: mounted from the host by `berth up` (local only; bake it into the image for prod)", c.relPath(v.Source))
	return &corev1.VolumeMount{Name: name, MountPath: v.Target, ReadOnly: v.ReadOnly}
}
