package convert_test

import (
	"slices"
	"strings"
	"testing"

	"berth/convert"

	appsv1 "k8s.io/api/apps/v1"
)

// What compose-go accepts but Kubernetes cannot take is reported as left
// out, not as mapped.
func TestReportSaysWhatIsLeftOut(t *testing.T) {
	b, err := convertYAML(t, `services:
  web:
    image: nginx
    expose: ["abc", "3000", "1-5000"]
    deploy:
      resources:
        limits: {cpus: "-1"}
        reservations: {cpus: "0.5"}
`, "prod")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"expose":           `ignored "abc", "1-5000"`,
		"deploy.resources": "without limits.cpus -1",
	}
	for key, w := range want {
		if e := reportEntry(b, "web", key); e == nil || e.Status != convert.Approximated || !strings.Contains(e.Why, w) {
			t.Errorf("%s: %+v, want approximated with %q", key, e, w)
		}
	}
}

// reportEntry is the report's entry for a key of a service, or nil.
func reportEntry(b *convert.Bundle, service, key string) *convert.Entry {
	for i, e := range b.Report.Entries {
		if e.Service == service && e.Key == key {
			return &b.Report.Entries[i]
		}
	}
	return nil
}

// An explicitly empty command is reported (it was not): Kubernetes can run
// it only when the entrypoint is set too.
func TestReportEmptyCommand(t *testing.T) {
	b, err := convertYAML(t, "services:\n  web:\n    image: nginx\n    command: []\n  api:\n    image: x\n    entrypoint: [\"/app\"]\n    command: []\n", "local")
	if err != nil {
		t.Fatal(err)
	}
	for service, want := range map[string]convert.Status{"web": convert.Approximated, "api": convert.Mapped} {
		if e := reportEntry(b, service, "command"); e == nil || e.Status != want {
			t.Errorf("%s: command %+v, want %s", service, e, want)
		}
	}
}

// A reservation above its limit (which the API server refuses) becomes the
// limit, and the report says so.
func TestRequestAboveLimitIsTheLimit(t *testing.T) {
	b, err := convertYAML(t, "services:\n  web:\n    image: nginx\n    deploy:\n      resources:\n        limits: {memory: 256m}\n        reservations: {memory: 512m}\n", "prod")
	if err != nil {
		t.Fatal(err)
	}
	r := find[*appsv1.Deployment](b, "web").Spec.Template.Spec.Containers[0].Resources
	if r.Requests.Memory().Cmp(*r.Limits.Memory()) != 0 {
		t.Errorf("memory request %s, limit %s: want the request at the limit", r.Requests.Memory(), r.Limits.Memory())
	}
	if !slices.ContainsFunc(b.Report.Notes, func(n string) bool { return strings.Contains(n, "memory reservation 512Mi is above its limit 256Mi") }) {
		t.Errorf("no note about the reservation: %v", b.Report.Notes)
	}
}

// "$(...)" in a command is the shell's, as in compose: escaped so that
// Kubernetes does not replace $(VAR) with a container variable.
func TestCommandKeepsCommandSubstitution(t *testing.T) {
	b, err := convertYAML(t, "services:\n  web:\n    image: busybox\n    environment: {HOSTNAME: x}\n    command: [\"sh\", \"-c\", \"echo $$(HOSTNAME) $$(date)\"]\n", "local")
	if err != nil {
		t.Fatal(err)
	}
	if got := find[*appsv1.Deployment](b, "web").Spec.Template.Spec.Containers[0].Args[2]; got != "echo $$(HOSTNAME) $$(date)" {
		t.Errorf("args[2] = %q: Kubernetes would expand $(HOSTNAME) to the variable", got)
	}
}
