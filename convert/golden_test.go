package convert_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"berth/convert"
	"berth/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in fixtures/*/want")

// fixtureSpec is fixtures/<case>/test.json: how to load the case.
type fixtureSpec struct {
	Files    []string          `json:"files,omitempty"`    // -f files (default: discovery)
	Env      string            `json:"env,omitempty"`      // --env
	Profiles []string          `json:"profiles,omitempty"` // --profile
	Environ  map[string]string `json:"environ,omitempty"`  // OS environment
	Strict   bool              `json:"strict,omitempty"`
}

func fixtureDirs(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("../fixtures/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range dirs {
		if info, err := os.Stat(d); err == nil && info.IsDir() {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatal("no fixtures found")
	}
	return out
}

func readSpec(t *testing.T, dir string) fixtureSpec {
	t.Helper()
	var spec fixtureSpec
	data, err := os.ReadFile(filepath.Join(dir, "test.json"))
	if os.IsNotExist(err) {
		return spec
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatalf("%s/test.json: %v", dir, err)
	}
	return spec
}

// loadFixture loads and converts one case as `berth convert` would, with a
// controlled environment so results do not depend on the machine.
func loadFixture(t *testing.T, dir string, env string) (*convert.Bundle, []convert.Warning, error) {
	t.Helper()
	spec := readSpec(t, dir)
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range spec.Files {
		files = append(files, filepath.Join(abs, f))
	}
	environ := []string{}
	for k, v := range spec.Environ {
		environ = append(environ, k+"="+v)
	}
	opts := convert.LoadOptions{Files: files, ProjectDir: abs, ProjectName: filepath.Base(abs),
		Profiles: spec.Profiles, Environ: environ, Strict: spec.Strict}
	loaded, err := convert.Load(context.Background(), opts)
	if err != nil {
		return nil, nil, err
	}
	o := loaded.Options()
	o.Env = env
	if o.Env == "" {
		o.Env = spec.Env
	}
	b, err := convert.Convert(loaded.Project, o)
	return b, loaded.Warnings, err
}

// TestFixtures converts every fixtures/<case> and compares with want/:
// manifests.yaml and report.txt, or error.txt for cases that must fail.
func TestFixtures(t *testing.T) {
	for _, dir := range fixtureDirs(t) {
		dir := dir
		t.Run(filepath.Base(dir), func(t *testing.T) {
			abs, _ := filepath.Abs(dir)
			b, warnings, err := loadFixture(t, dir, "")
			want := filepath.Join(dir, "want")
			if err != nil {
				golden(t, filepath.Join(want, "error.txt"), strings.ReplaceAll(err.Error(), abs, ".")+"\n")
				return
			}
			if _, statErr := os.Stat(filepath.Join(want, "error.txt")); statErr == nil && !*update {
				t.Fatalf("expected an error (want/error.txt exists), got none")
			}
			manifests, err := render.Stream(b.Objects)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(want, "manifests.yaml"), string(manifests))
			var rep strings.Builder
			for _, w := range warnings {
				rep.WriteString("warning: " + strings.ReplaceAll(w.String(), abs, ".") + "\n")
			}
			b.Report.WriteText(&rep)
			golden(t, filepath.Join(want, "report.txt"), strings.ReplaceAll(rep.String(), abs, "."))
		})
	}
}

// TestFixturesDeterministic converts each case twice: byte-identical output.
func TestFixturesDeterministic(t *testing.T) {
	for _, dir := range fixtureDirs(t) {
		a, _, errA := loadFixture(t, dir, "")
		b, _, errB := loadFixture(t, dir, "")
		if errA != nil || errB != nil {
			if fmt.Sprint(errA) != fmt.Sprint(errB) {
				t.Errorf("%s: two loads fail differently:\n%v\n%v", dir, errA, errB)
			}
			continue
		}
		ya, _ := render.Stream(a.Objects)
		yb, _ := render.Stream(b.Objects)
		if string(ya) != string(yb) {
			t.Errorf("%s: two conversions differ", dir)
		}
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden file %s (run go test ./convert -update): %v", path, err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the conversion (go test ./convert -update rewrites it):\n%s", path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first differing line with some context.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(no line differs)"
}
