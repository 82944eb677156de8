package convert_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"berth/convert"
)

// Values that decoding cannot use are reported in file order (the override
// file after the base, whatever the services' names), located, and capped
// at ten lines.
func TestLoadValueErrorsInFileOrder(t *testing.T) {
	dir := writeCompose(t, "services:\n  web:\n    image: nginx\n    stop_grace_period: ${GRACE}\n")
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range 12 {
		fmt.Fprintf(&b, "  s%02d:\n    image: x\n    mem_limit: lots\n", i)
	}
	over := filepath.Join(dir, "compose.override.yaml")
	if err := os.WriteFile(over, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := convert.Load(context.Background(), convert.LoadOptions{
		Files: []string{filepath.Join(dir, "compose.yaml"), over}, Environ: []string{},
	})
	if !errors.Is(err, convert.ErrSchema) {
		t.Fatalf("want an ErrSchema, got %v", err)
	}
	lines := strings.Split(strings.ReplaceAll(err.Error(), dir+"/", ""), "\n")
	want := []string{
		`compose.yaml:4: services.web.stop_grace_period: must be a duration such as 10s or 1m30s, got "" (variable GRACE is not set and replaced by an empty string)`,
		`compose.override.yaml:4: services.s00.mem_limit: must be a size such as 512m or 2g, got "lots"`,
	}
	if len(lines) != 11 || lines[0] != want[0] || lines[1] != want[1] || lines[10] != "(and 3 more)" {
		t.Errorf("got %d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
}

// A required variable keeps its own kind when it fails with others.
func TestLoadRequiredVariableAmongValueErrors(t *testing.T) {
	dir := writeCompose(t, "services:\n  web:\n    image: ${IMAGE:?name the image}\n    read_only: nope\n")
	_, err := convert.Load(context.Background(), convert.LoadOptions{ProjectDir: dir, Environ: []string{}})
	want := "compose.yaml:3: services.web.image: required variable IMAGE is missing a value: name the image\n" +
		`compose.yaml:4: services.web.read_only: must be true or false, got "nope"`
	if err == nil || err.Error() != want || !errors.Is(err, convert.ErrRequiredVariable) {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
