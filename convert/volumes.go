package convert

import (
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// volumeExt is the typed `x-berth` extension of a top-level volume.
type volumeExt struct {
	Size         string `json:"size,omitempty"`
	StorageClass string `json:"storageClass,omitempty"`
}

// claimName is the PVC of a named volume used by Deployments (shared, like a
// compose volume); external volumes keep their name.
func (c *converter) claimName(volume string) string {
	if vc, ok := c.p.Volumes[volume]; ok && bool(vc.External) && vc.Name != "" {
		return DNSName(vc.Name)
	}
	return DNSName(volume)
}

func (c *converter) isExternalVolume(volume string) bool {
	vc, ok := c.p.Volumes[volume]
	return ok && bool(vc.External)
}

// usedVolume creates the PVC of a named volume the first time a service mounts it.
func (c *converter) usedVolume(volume string, s types.ServiceConfig) {
	if c.isExternalVolume(volume) {
		return
	}
	name := c.claimName(volume)
	if c.pvcs == nil {
		c.pvcs = map[string]bool{}
	}
	if c.pvcs[name] {
		return
	}
	c.pvcs[name] = true
	c.add(c.pvc(name, volume, c.settingsOf(volume, s)))
}

func (c *converter) pvc(name, volume string, s types.ServiceConfig) *corev1.PersistentVolumeClaim {
	size, err := resource.ParseQuantity(c.volumeSize(volume, s))
	if err != nil {
		size = resource.MustParse(DefaultVolumeSize)
		c.rep.approx(s.Name, "x-berth.volumeSize", "not a Kubernetes quantity: %v; using %s", err, DefaultVolumeSize)
	}
	pvc := &corev1.PersistentVolumeClaim{
		ObjectMeta: c.meta(name, ""),
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}},
		},
	}
	pvc.Annotations["berth.dev/compose-volume"] = volume
	if sc := c.storageClass(volume, s); sc != "" {
		pvc.Spec.StorageClassName = &sc
	}
	typeMeta(pvc, "", "v1", "PersistentVolumeClaim")
	return pvc
}

// volumeSetting resolves one storage setting of a named volume: the
// service's x-berth first, then the volume's kompose label, then its x-berth.
func (c *converter) volumeSetting(volume string, s types.ServiceConfig, fromService func(ServiceExt) string, label string, fromVolume func(volumeExt) string) string {
	if ext, _ := serviceExt(s); fromService(ext) != "" {
		return fromService(ext)
	}
	vc, ok := c.p.Volumes[volume]
	if !ok {
		return ""
	}
	if v := vc.Labels[label]; v != "" {
		return v
	}
	var ve volumeExt
	if decodeExt(vc.Extensions, "volumes."+volume, &ve) == nil {
		return fromVolume(ve)
	}
	return ""
}

// volumeSize is the requested size of a named volume (1Gi by default).
func (c *converter) volumeSize(volume string, s types.ServiceConfig) string {
	size := c.volumeSetting(volume, s, func(e ServiceExt) string { return e.VolumeSize },
		"kompose.volume.size", func(v volumeExt) string { return v.Size })
	if size == "" {
		return DefaultVolumeSize
	}
	return size
}

// storageClass is the storage class of a named volume ("" for the default).
func (c *converter) storageClass(volume string, s types.ServiceConfig) string {
	return c.volumeSetting(volume, s, func(e ServiceExt) string { return e.StorageClass },
		"kompose.volume.storage-class-name", func(v volumeExt) string { return v.StorageClass })
}

// relPath shows a path relative to the project directory.
func (c *converter) relPath(p string) string {
	if rel, err := filepath.Rel(c.p.WorkingDir, p); err == nil && insideDir(c.p.WorkingDir, p) {
		return "./" + filepath.ToSlash(rel)
	}
	return p
}

// addConfigMapKey adds one key to a ConfigMap, creating it on first use.
func (c *converter) addConfigMapKey(name, service, key string, data []byte) {
	if c.configMaps == nil {
		c.configMaps = map[string]*corev1.ConfigMap{}
	}
	cm, ok := c.configMaps[name]
	if !ok {
		cm = &corev1.ConfigMap{ObjectMeta: c.meta(name, service)}
		typeMeta(cm, "", "v1", "ConfigMap")
		c.configMaps[name] = cm
		c.add(cm)
	}
	if isText(data) {
		if cm.Data == nil {
			cm.Data = map[string]string{}
		}
		cm.Data[key] = string(data)
		return
	}
	if cm.BinaryData == nil {
		cm.BinaryData = map[string][]byte{}
	}
	cm.BinaryData[key] = data
}

func isText(b []byte) bool {
	for _, r := range string(b) {
		if r == 0 || r == '\uFFFD' {
			return false
		}
	}
	return true
}
