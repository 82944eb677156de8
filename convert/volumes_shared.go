package convert

import (
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Compose gives every service that mounts a named volume the same volume:
// a web server reads what the app writes. In Kubernetes that is one PVC
// mounted by every pod (never a StatefulSet's claim template, which would
// give the writer a copy of its own), and as a PVC is ReadWriteOnce, the
// pods must run on one node: each is scheduled next to the pods of the
// first service (by name) that mounts the volume.

// findVolumeSharers maps each named volume that the pods of two or more
// services mount to those pod owners, sorted.
func (c *converter) findVolumeSharers() map[string][]string {
	byVolume := map[string][]string{}
	for _, name := range sortedKeys(c.p.Services) {
		owner := c.ownerOf(name)
		for _, v := range c.p.Services[name].Volumes {
			if v.Type == types.VolumeTypeVolume && v.Source != "" && !slices.Contains(byVolume[v.Source], owner) {
				byVolume[v.Source] = append(byVolume[v.Source], owner)
			}
		}
	}
	for v, pods := range byVolume {
		if len(pods) < 2 {
			delete(byVolume, v)
			continue
		}
		slices.Sort(pods)
	}
	return byVolume
}

// sharedWith lists the other pod owners that mount volume, or nil.
func (c *converter) sharedWith(volume, service string) []string {
	owner := c.ownerOf(service)
	var out []string
	for _, o := range c.volumeSharers[volume] {
		if o != owner {
			out = append(out, o)
		}
	}
	return out
}

// volumeAffinity schedules the pod of owner on the node of the first pod
// owner of each shared volume it mounts (none when it is that first one).
func (c *converter) volumeAffinity(owner string) *corev1.Affinity {
	anchors := c.anchors[owner]
	if len(anchors) == 0 {
		return nil
	}
	var terms []corev1.PodAffinityTerm
	for _, a := range anchors {
		terms = append(terms, corev1.PodAffinityTerm{
			LabelSelector: &metav1.LabelSelector{MatchLabels: c.selectorLabels(a)},
			TopologyKey:   "kubernetes.io/hostname",
		})
	}
	c.rep.note("volumes: %s runs on the node of %s: they share a ReadWriteOnce volume, as compose services share a named volume", owner, strings.Join(anchors, ", "))
	return &corev1.Affinity{PodAffinity: &corev1.PodAffinity{RequiredDuringSchedulingIgnoredDuringExecution: terms}}
}

// volumeAnchors lists, for each pod owner, the first pod owners of the
// shared volumes it mounts (not itself), in the order of the volumes'
// names: worked out once, not by going over every volume for every pod.
func (c *converter) volumeAnchors() map[string][]string {
	out := map[string][]string{}
	for _, v := range sortedKeys(c.volumeSharers) {
		pods := c.volumeSharers[v]
		for _, owner := range pods[1:] {
			if !slices.Contains(out[owner], pods[0]) {
				out[owner] = append(out[owner], pods[0])
			}
		}
	}
	return out
}

// settingsOf picks the service whose x-berth sizes a volume's one PVC: the
// first of its sharers (by name) that sets a size or storage class, else s,
// the one creating it.
func (c *converter) settingsOf(volume string, s types.ServiceConfig) types.ServiceConfig {
	for _, name := range c.volumeSharers[volume] {
		if ext, _ := serviceExt(c.p.Services[name]); ext.VolumeSize != "" || ext.StorageClass != "" {
			return c.p.Services[name]
		}
	}
	return s
}
