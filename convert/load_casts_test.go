package convert

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
)

// castCase is a set of compose files to load with and without pruning.
type castCase struct {
	name    string
	dir     string
	files   []string
	environ []string
}

func castCases(t *testing.T) []castCase {
	t.Helper()
	var out []castCase
	fixtures, _ := filepath.Glob("../fixtures/*/compose.yaml")
	for _, f := range fixtures {
		dir, _ := filepath.Abs(filepath.Dir(f))
		out = append(out, castCase{name: filepath.Base(dir), dir: dir, files: []string{filepath.Join(dir, "compose.yaml")}})
	}
	f, err := os.Open("../../shared/corpus/cases.tsv")
	if err != nil {
		t.Logf("corpus not available (%v): fixtures only", err)
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 2 || c[0] == "case" {
			continue
		}
		dir, _ := filepath.Abs(filepath.Join("../../shared/corpus", c[0]))
		cc := castCase{name: c[0], dir: dir}
		for _, file := range strings.Split(c[1], ",") {
			cc.files = append(cc.files, filepath.Join(dir, file))
		}
		out = append(out, cc)
	}
	return out
}

// loadOutcome is the loaded project, or the error, as text.
func loadOutcome(t *testing.T, c castCase, prune bool) string {
	t.Helper()
	castPruning = prune
	defer func() { castPruning = true }()
	l, err := Load(context.Background(), LoadOptions{Files: c.files, ProjectDir: c.dir, Environ: c.environ, Profiles: []string{"*"}})
	if err != nil {
		return "error: " + err.Error()
	}
	// not the warnings: compose-go gives some (an obsolete `version`) once
	// per file and process
	data, err := json.Marshal(l.Project)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestPrunedCastsLoadTheSame: leaving out the cast patterns that cannot
// match changes nothing compose-go yields, on every fixture, every corpus
// case, and a file whose interpolated values all need their casts.
func TestPrunedCastsLoadTheSame(t *testing.T) {
	dir := t.TempDir()
	compose := `services:
  app:
    image: app
    privileged: "${YES}"
    read_only: "${YES}"
    cpus: "${CPUS}"
    init: yes
    pids_limit: "${N}"
    deploy:
      replicas: "${N}"
      resources: {limits: {cpus: "${CPUS}"}}
    healthcheck: {test: ["CMD", "true"], retries: "${N}"}
    ports: [{target: "${N}0", published: "8080"}]
    volumes: [{type: tmpfs, target: /tmp, read_only: "${YES}"}]
`
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := append(castCases(t), castCase{name: "casts", dir: dir, files: []string{filepath.Join(dir, "compose.yaml")},
		environ: []string{"YES=true", "CPUS=0.5", "N=3"}})
	pruned := 0
	for _, c := range cases {
		if text, ok := composeText(c.files); ok && len(castsMatching(interpolateCastsForTest(t), text)) < len(interpolateCastsForTest(t)) {
			pruned++
		}
		if a, b := loadOutcome(t, c, false), loadOutcome(t, c, true); a != b {
			t.Errorf("%s: pruning the casts changed the load:\nall casts: %.400s\npruned:    %.400s", c.name, a, b)
		}
	}
	if pruned < len(cases)/2 {
		t.Errorf("casts pruned in only %d of %d cases", pruned, len(cases))
	}
	t.Logf("%d cases, casts pruned in %d", len(cases), pruned)
}

// interpolateCastsForTest is compose-go's own cast table.
func interpolateCastsForTest(t *testing.T) map[tree.Path]interp.Cast {
	t.Helper()
	o := loader.ToOptions(&types.ConfigDetails{}, nil)
	if o.Interpolate == nil || len(o.Interpolate.TypeCastMapping) < 50 {
		t.Fatal("compose-go's cast table is not where berth expects it")
	}
	return o.Interpolate.TypeCastMapping
}
