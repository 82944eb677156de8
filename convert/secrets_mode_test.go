package convert_test

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
)

// A secret's mode is the mounted file's; when compose also gives it a
// non-root owner, which Kubernetes cannot, it stays readable to that user.
func TestSecretModes(t *testing.T) {
	b, err := convertYAML(t, `services:
  web:
    image: nginx
    secrets:
      - {source: key, target: /etc/ssl/key.pem, mode: 0400}
      - {source: key, target: /etc/app/key.pem, mode: 0400, uid: "101"}
secrets:
  key:
    environment: KEY
`, "prod")
	if err != nil {
		t.Fatal(err)
	}
	d := find[*appsv1.Deployment](b, "web")
	if d == nil {
		t.Fatal("no Deployment web")
	}
	modes := map[string]int32{}
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Secret != nil && v.Secret.DefaultMode != nil {
			modes[v.Name] = *v.Secret.DefaultMode
		}
	}
	got := map[string]int32{}
	for _, m := range d.Spec.Template.Spec.Containers[0].VolumeMounts {
		got[m.MountPath] = modes[m.Name]
	}
	if got["/etc/ssl/key.pem"] != 0o400 || got["/etc/app/key.pem"] != 0o444 {
		t.Errorf("modes by path %v, want /etc/ssl/key.pem 0400 and /etc/app/key.pem 0444 (uid 101 must read it)", got)
	}
}
