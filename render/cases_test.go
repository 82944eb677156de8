package render_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"berth/convert"
)

// testCase is a compose project to convert: a fixture or a corpus case.
type testCase struct {
	name string
	load func() (*convert.Loaded, error)
}

// allCases returns every fixture and every corpus case that compose loads
// (cases that must fail to load are the convert package's business).
func allCases(t *testing.T) []testCase {
	t.Helper()
	cases := fixtureCases(t)
	cases = append(cases, corpusCases(t)...)
	cases = append(cases, generatedCases(t)...)
	if len(cases) == 0 {
		t.Fatal("no fixtures and no corpus cases found")
	}
	return cases
}

func fixtureCases(t *testing.T) []testCase {
	t.Helper()
	dirs, _ := filepath.Glob("../fixtures/*/compose.yaml")
	sort.Strings(dirs)
	var out []testCase
	for _, f := range dirs {
		dir, _ := filepath.Abs(filepath.Dir(f))
		if _, err := os.Stat(filepath.Join(dir, "want", "error.txt")); err == nil {
			continue
		}
		var spec struct {
			Files    []string          `json:"files"`
			Profiles []string          `json:"profiles"`
			Environ  map[string]string `json:"environ"`
		}
		if data, err := os.ReadFile(filepath.Join(dir, "test.json")); err == nil {
			if err := json.Unmarshal(data, &spec); err != nil {
				t.Fatalf("%s/test.json: %v", dir, err)
			}
		}
		var files []string
		for _, f := range spec.Files {
			files = append(files, filepath.Join(dir, f))
		}
		environ := []string{}
		for k, v := range spec.Environ {
			environ = append(environ, k+"="+v)
		}
		o := convert.LoadOptions{Files: files, ProjectDir: dir, ProjectName: filepath.Base(dir), Profiles: spec.Profiles, Environ: environ}
		out = append(out, testCase{name: "fixture/" + filepath.Base(dir), load: func() (*convert.Loaded, error) {
			return convert.Load(context.Background(), o)
		}})
	}
	return out
}

const corpusDir = "../../shared/corpus"

func corpusCases(t *testing.T) []testCase {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "cases.tsv"))
	if err != nil {
		t.Logf("corpus not available (%v): only fixtures are checked", err)
		return nil
	}
	defer f.Close()
	var out []testCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 || cols[0] == "case" || cols[2] != "yes" {
			continue
		}
		dir, _ := filepath.Abs(filepath.Join(corpusDir, cols[0]))
		var files []string
		for _, f := range strings.Split(cols[1], ",") {
			files = append(files, filepath.Join(dir, f))
		}
		o := convert.LoadOptions{Files: files, ProjectDir: dir, ProjectName: cols[0], Profiles: []string{"*"}, Environ: []string{}}
		out = append(out, testCase{name: "corpus/" + cols[0], load: func() (*convert.Loaded, error) {
			return convert.Load(context.Background(), o)
		}})
	}
	return out
}

// render converts a case for one environment.
func renderCase(t *testing.T, tc testCase, env string) *convert.Bundle {
	t.Helper()
	l, err := tc.load()
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	o := l.Options()
	o.Env = env
	b, err := convert.Convert(l.Project, o)
	if err != nil {
		t.Fatalf("convert --env %s: %v", env, err)
	}
	return b
}
