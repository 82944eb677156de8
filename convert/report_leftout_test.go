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
	for _, e := range b.Report.Entries {
		if w, ok := want[e.Key]; ok {
			if e.Status != convert.Approximated || !strings.Contains(e.Why, w) {
				t.Errorf("%s: %s %q, want approximated with %q", e.Key, e.Status, e.Why, w)
			}
			delete(want, e.Key)
		}
	}
	if len(want) > 0 {
		t.Errorf("no report entry for %v", want)
	}
}

// An explicitly empty command is reported (it was not): Kubernetes can run
// it only when the entrypoint is set too.
func TestReportEmptyCommand(t *testing.T) {
	b, err := convertYAML(t, "services:\n  web:\n    image: nginx\n    command: []\n  api:\n    image: x\n    entrypoint: [\"/app\"]\n    command: []\n", "local")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]convert.Status{"web": convert.Approximated, "api": convert.Mapped}
	for _, e := range b.Report.Entries {
		if e.Key == "command" {
			if e.Status != want[e.Service] {
				t.Errorf("%s: command %s %q, want %s", e.Service, e.Status, e.Why, want[e.Service])
			}
			delete(want, e.Service)
		}
	}
	if len(want) > 0 {
		t.Errorf("command not reported for %v", want)
	}
}

// A reservation above its limit (which the API server refuses) becomes the
// limit, and the report says so.
func TestRequestAboveLimitIsTheLimit(t *testing.T) {
	b, err := convertYAML(t, "services:\n  web:\n    image: nginx\n    deploy:\n      resources:\n        limits: {memory: 256m}\n        reservations: {memory: 512m}\n", "prod")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range b.Objects {
		if d, ok := o.(*appsv1.Deployment); ok && d.Name == "web" {
			r := d.Spec.Template.Spec.Containers[0].Resources
			if r.Requests.Memory().Cmp(*r.Limits.Memory()) != 0 {
				t.Errorf("memory request %s, limit %s: want the request at the limit", r.Requests.Memory(), r.Limits.Memory())
			}
		}
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
	for _, o := range b.Objects {
		if d, ok := o.(*appsv1.Deployment); ok && d.Name == "web" {
			if got := d.Spec.Template.Spec.Containers[0].Args[2]; got != "echo $$(HOSTNAME) $$(date)" {
				t.Errorf("args[2] = %q: Kubernetes would expand $(HOSTNAME) to the variable", got)
			}
		}
	}
}
