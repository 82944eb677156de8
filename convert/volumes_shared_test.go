package convert_test

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// Services that mount one named volume share it as in compose: one PVC
// mounted by every pod (no claim template giving the writer its own copy),
// the pods on one node; a volume only one pod mounts keeps its template.
func TestNamedVolumeSharedByServices(t *testing.T) {
	b, err := convertYAML(t, `services:
  app:
    image: example/app:1
    volumes: ["media:/media", "appdata:/data"]
  sidecar:
    image: example/sidecar:1
    network_mode: service:app
    volumes: ["appdata:/data"]
  web:
    image: nginx
    volumes: ["media:/usr/share/nginx/html:ro"]
volumes:
  media: {}
  appdata: {}
`, "prod")
	if err != nil {
		t.Fatal(err)
	}
	pods := map[string]corev1.PodSpec{}
	var app *appsv1.StatefulSet
	for _, o := range b.Objects {
		switch w := o.(type) {
		case *appsv1.StatefulSet:
			app, pods[w.Name] = w, w.Spec.Template.Spec
		case *appsv1.Deployment:
			pods[w.Name] = w.Spec.Template.Spec
		}
	}
	if app == nil || app.Name != "app" {
		t.Fatal("app writes named volumes: want it as a StatefulSet")
	}
	if len(app.Spec.VolumeClaimTemplates) != 1 || app.Spec.VolumeClaimTemplates[0].Name != "appdata" {
		t.Errorf("claim templates %v: want only appdata (the sidecar is in app's pod)", app.Spec.VolumeClaimTemplates)
	}
	for _, name := range []string{"app", "web"} {
		if claim(pods[name], "media") != "media" {
			t.Errorf("%s does not mount PVC media: %v", name, pods[name].Volumes)
		}
	}
	if pods["app"].Affinity != nil {
		t.Errorf("app, first of the sharers, got an affinity: %v", pods["app"].Affinity)
	}
	aff := pods["web"].Affinity
	if aff == nil || aff.PodAffinity == nil || len(aff.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution) != 1 ||
		aff.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0].LabelSelector.MatchLabels["app.kubernetes.io/name"] != "app" {
		t.Errorf("web must run on app's node (one ReadWriteOnce claim): affinity %v", aff)
	}
}

func claim(spec corev1.PodSpec, volume string) string {
	for _, v := range spec.Volumes {
		if v.Name == volume && v.PersistentVolumeClaim != nil {
			return v.PersistentVolumeClaim.ClaimName
		}
	}
	return ""
}

// The one PVC of a shared volume takes the size a sharer's x-berth asks
// for, whichever service creates it.
func TestSharedVolumeSizeFromAnySharer(t *testing.T) {
	b, err := convertYAML(t, `services:
  a-reader:
    image: nginx
    volumes: ["media:/media:ro"]
  writer:
    image: example/app:1
    volumes: ["media:/media"]
    x-berth: {volumeSize: 5Gi}
volumes:
  media: {}
`, "prod")
	if err != nil {
		t.Fatal(err)
	}
	pvc := find[*corev1.PersistentVolumeClaim](b, "media")
	if pvc == nil {
		t.Fatal("no PVC media")
	}
	if got := pvc.Spec.Resources.Requests.Storage().String(); got != "5Gi" {
		t.Errorf("PVC media asks for %s, want writer's 5Gi", got)
	}
}
