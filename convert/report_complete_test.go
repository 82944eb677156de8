package convert

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportNamesEveryKey: for every fixture and corpus case, each key a
// service sets has an entry in the report (mapped, approximated or
// dropped), in every environment. A mapping that handles a key but forgets
// to say so, or a key no mapping knows, fails here.
func TestReportNamesEveryKey(t *testing.T) {
	dirs, _ := filepath.Glob("../fixtures/*/compose.yaml")
	if len(dirs) == 0 {
		t.Fatal("no fixtures")
	}
	var cases []LoadOptions
	for _, f := range dirs {
		dir, _ := filepath.Abs(filepath.Dir(f))
		if _, err := os.Stat(filepath.Join(dir, "want", "error.txt")); err == nil {
			continue
		}
		cases = append(cases, LoadOptions{ProjectDir: dir, ProjectName: filepath.Base(dir)})
	}
	cases = append(cases, corpusLoadOptions(t)...)
	checked := 0
	for _, o := range cases {
		o.Environ, o.Profiles = []string{}, []string{"*"}
		l, err := Load(context.Background(), o)
		if err != nil {
			continue // cases that fail to load, or need test.json settings, are TestFixtures' and TestCorpus'
		}
		reportNamesEveryKey(t, l)
		checked++
	}
	t.Logf("%d of %d cases checked in local and prod", checked, len(cases))
}

func reportNamesEveryKey(t *testing.T, l *Loaded) {
	t.Helper()
	for _, env := range []string{"local", "prod"} {
		o := l.Options()
		o.Env = env
		b, err := Convert(l.Project, o)
		if err != nil {
			t.Errorf("%s --env %s: %v", l.Project.Name, env, err)
			continue
		}
		for _, service := range sortedKeys(l.Project.Services) {
			for _, key := range nonEmptyKeys(l.Project.Services[service]) {
				if !b.Report.has(service, key) {
					t.Errorf("%s --env %s: service %s: key %s is not in the report", l.Project.Name, env, service, key)
				}
			}
		}
	}
}

// corpusLoadOptions lists the corpus cases (../../shared/corpus/cases.tsv:
// name, then the -f files); none when the corpus is not beside the repo.
func corpusLoadOptions(t *testing.T) []LoadOptions {
	const corpus = "../../shared/corpus"
	data, err := os.ReadFile(filepath.Join(corpus, "cases.tsv"))
	if err != nil {
		t.Logf("corpus not available (%v): fixtures only", err)
		return nil
	}
	var out []LoadOptions
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		cols := strings.Split(line, "\t")
		if i == 0 || len(cols) < 2 {
			continue
		}
		dir, _ := filepath.Abs(filepath.Join(corpus, cols[0]))
		var files []string
		for _, f := range strings.Split(cols[1], ",") {
			files = append(files, filepath.Join(dir, f))
		}
		out = append(out, LoadOptions{Files: files, ProjectDir: dir, ProjectName: cols[0]})
	}
	return out
}
