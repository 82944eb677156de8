package convert_test

import (
	"strings"
	"testing"

	"berth/convert"
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
