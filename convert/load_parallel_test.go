package convert_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"berth/convert"
	"berth/internal/gencompose"
)

// writeSharedParts writes a file of n services that share parts the ways
// compose allows (a YAML anchor merged into each, extends of a service in
// the same file and in another file, relative paths, port ranges), so
// that a parallel walk over services that shared a subtree would show.
func writeSharedParts(t *testing.T, dir string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("x-common: &common\n  restart: always\n  environment: {SHARED: \"1\"}\n  labels: [team=a]\nservices:\n")
	b.WriteString("  base:\n    image: base:1\n    volumes: [./data:/data]\n    ports: [\"8000-8001:8000-8001\"]\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  s%03d:\n    <<: *common\n", i)
		switch i % 3 {
		case 0:
			b.WriteString("    extends: base\n")
		case 1:
			b.WriteString("    extends: {file: other.yaml, service: remote}\n")
		default:
			fmt.Fprintf(&b, "    build: ./s%03d\n    env_file: [common.env]\n", i)
		}
		fmt.Fprintf(&b, "    ports: [\"%d:80\"]\n    depends_on: [base]\n", 9000+i)
		fmt.Fprintf(&b, "    labels: [\"tag=${TAG:-t%d}\", \"unset=${UNSET_%d}\"]\n    scale: ${SCALE:-1}\n", i, i%7)
	}
	files := map[string]string{
		"compose.yaml": b.String(),
		"other.yaml":   "services:\n  remote:\n    image: remote:2\n    volumes: [./cache:/cache]\n",
		"common.env":   "FROM_FILE=yes\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "compose.yaml")
}

// withProcs runs fn with GOMAXPROCS set to n: the loader goes parallel
// only with more than one, whatever CPUs the test machine has.
func withProcs(n int, fn func() string) string {
	prev := runtime.GOMAXPROCS(n)
	defer runtime.GOMAXPROCS(prev)
	return fn()
}

func loadedJSON(t *testing.T, path string) string {
	t.Helper()
	l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{path}, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(struct {
		Project  any
		Warnings []convert.Warning
	}{l.Project, l.Warnings})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestParallelLoadEqualsSequential: a large file, whose services compose-go
// decodes and walks on every CPU (third_party/compose-go/BERTH.md), loads
// to the same project as on one CPU, where every walk is sequential.
func TestParallelLoadEqualsSequential(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{writeSharedParts(t, dir, 150), writeGenerated(t, t.TempDir(), 200, gencompose.Diamond)} {
		parallel := withProcs(4, func() string { return loadedJSON(t, path) })
		sequential := withProcs(1, func() string { return loadedJSON(t, path) })
		if parallel != sequential {
			t.Errorf("%s: the parallel load differs from the sequential one", path)
		}
	}
	shared := loadedJSON(t, filepath.Join(dir, "compose.yaml"))
	for _, want := range []string{`"s149"`, `"image":"remote:2"`, `"FROM_FILE":"yes"`, `"SHARED":"1"`, `"published":"8001"`, `"tag":"t149"`, "UNSET_6 is not set"} {
		if !strings.Contains(shared, want) {
			t.Errorf("the shared-parts project has no %s: the test file does not load as meant", want)
		}
	}
}

// TestParallelLoadFailsAsSequential: in a large file, a mistake in one
// service (or in a service name, or at the top level) gives the error it
// gives on one CPU, where compose-go validates the whole file at once.
func TestParallelLoadFailsAsSequential(t *testing.T) {
	for name, mistake := range map[string][2]string{
		"unknown key":   {"    imagee: x\n", ""},
		"wrong type":    {"    ports: {a: 1}\n", ""},
		"bad name":      {"", "  \"bad name!\":\n    image: x\n"},
		"top-level key": {"", "servicez: {}\n"},
		"required var":  {"    image: \"app:${NEED_IT:?set NEED_IT}\"\n", ""},
		"bad cast":      {"    scale: \"${NOT_A_NUMBER:-x}\"\n", ""},
	} {
		var b strings.Builder
		b.WriteString("services:\n")
		for i := 0; i < 120; i++ {
			fmt.Fprintf(&b, "  s%03d:\n    image: app:%d\n", i, i)
			if i == 77 {
				b.WriteString(mistake[0])
			}
		}
		b.WriteString(mistake[1])
		path := filepath.Join(t.TempDir(), "compose.yaml")
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		load := func() string {
			_, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{path}, Environ: []string{}})
			if err == nil {
				return ""
			}
			return err.Error()
		}
		parallel := withProcs(4, load)
		sequential := withProcs(1, load)
		if parallel == "" || parallel != sequential {
			t.Errorf("%s: parallel load error %q, sequential %q", name, parallel, sequential)
		}
	}
}

// TestParallelLoadCollectsWarnings: compose-go logs from the goroutines
// that walk a large file's services (here `~` paths without HOME); berth
// still gets each warning, once (and -race finds no race in collecting them).
func TestParallelLoadCollectsWarnings(t *testing.T) {
	t.Setenv("HOME", "")
	var b strings.Builder
	b.WriteString("services:\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "  s%03d:\n    image: app\n    volumes: [\"~/data%d:/data\"]\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "compose.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	warnings := withProcs(4, func() string {
		l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{path}, Environ: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(l.Warnings)
	})
	if n := strings.Count(warnings, "cannot expand '~'"); n != 1 {
		t.Errorf("want the HOME warning once, got %d times in %s", n, warnings)
	}
}
