package convert

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"berth/internal/gencompose"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fastLoadCase is one way of loading a file that both loaders meet.
type fastLoadCase struct {
	name     string
	files    []string
	profiles []string
	strict   bool
	environ  []string
}

// TestFastLoadEqualsCompose loads every fixture, every corpus case and
// generated files with compose-go's loader alone and with berth's fast
// path: where the fast path accepts a file, the load must succeed with
// exactly what compose-go gives (project, warnings, files, hash). It also
// checks that the fast path accepts the generated benchmark files, and
// logs how many real files it took.
func TestFastLoadEqualsCompose(t *testing.T) {
	cases := fastLoadCases(t)
	var accepted atomic.Int32
	var took []string
	declines := map[string]int{}
	var mu sync.Mutex // services are decoded on every CPU
	declineSite = func(key, site string) {
		mu.Lock()
		defer mu.Unlock()
		declines[key+" "+site]++
	}
	defer func() { declineSite = nil }()
	for _, c := range cases {
		if compareLoads(t, c) {
			accepted.Add(1)
			took = append(took, c.name)
		}
	}
	t.Logf("fast path took %d of %d loads; it declined the others at (key, code: loads):", accepted.Load(), len(cases))
	for _, site := range sortedKeys(declines) {
		t.Logf("  %s: %d", site, declines[site])
	}
	for _, want := range []string{"generated-chain", "generated-diamond"} {
		if !contains(took, want) {
			t.Errorf("fast path declined %s, which it is there for", want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// compareLoads loads c both ways and reports whether the fast path took it.
func compareLoads(t *testing.T, c fastLoadCase) bool {
	t.Helper()
	took := false
	recording := func(in loader.FastInput) (*types.Project, bool) {
		p, ok := fastLoad(in)
		took = ok
		return p, ok
	}
	declining := func(loader.FastInput) (*types.Project, bool) { return nil, false }
	opts := LoadOptions{Files: c.files, Profiles: c.profiles, Strict: c.strict, Environ: append([]string{}, c.environ...)}
	// compose-go warns about a top-level version once per file and process
	loader.ForgetVersionWarnings()
	opts.fastLoad = declining
	want, wantErr := Load(context.Background(), opts)
	loader.ForgetVersionWarnings()
	opts.fastLoad = recording
	got, gotErr := Load(context.Background(), opts)
	if !took {
		return false
	}
	if wantErr != nil || gotErr != nil {
		// berth's own checks after loading (consistency, cycles) fail
		// the same way on either project
		if wantErr == nil || gotErr == nil || wantErr.Error() != gotErr.Error() {
			t.Errorf("%s: compose-go's load gives error %v, the fast path's %v", c.name, wantErr, gotErr)
		}
		return true
	}
	if diff := cmp.Diff(want, got, compareUnexported); diff != "" {
		t.Errorf("%s: the fast path's load differs from compose-go's (-compose +fast):\n%s", c.name, diff)
	}
	return true
}

// compareUnexported compares unexported fields too (marshallContent of
// secrets and configs), but for the project's inPlace flag, which only
// says how it was built.
var compareUnexported = cmp.Options{
	cmpopts.IgnoreUnexported(types.Project{}),
	cmp.Exporter(func(t reflect.Type) bool { return t != reflect.TypeOf(types.Project{}) }),
}

func fastLoadCases(t *testing.T) []fastLoadCase {
	var cases []fastLoadCase
	fixtures, _ := filepath.Glob("../fixtures/*/compose.yaml")
	for _, f := range fixtures {
		name := filepath.Base(filepath.Dir(f))
		cases = append(cases, fastLoadCase{name: "fixture-" + name, files: []string{f}},
			fastLoadCase{name: "fixture-" + name + "-all", files: []string{f}, profiles: []string{"*"}})
	}
	for _, c := range corpusCases(t) {
		cases = append(cases, c, fastLoadCase{name: c.name + "-all", files: c.files, profiles: []string{"*"}})
	}
	dir := t.TempDir()
	for _, shape := range []gencompose.Shape{gencompose.Chain, gencompose.Diamond} {
		path := filepath.Join(dir, string(shape)+".yaml")
		if err := gencompose.WriteFile(path, 120, shape); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, fastLoadCase{name: "generated-" + string(shape), files: []string{path}})
	}
	for name, text := range fastLoadSnippets {
		path := filepath.Join(dir, name, "compose.yaml")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, fastLoadCase{name: "snippet-" + name, files: []string{path}},
			fastLoadCase{name: "snippet-" + name + "-strict", files: []string{path}, strict: true},
			fastLoadCase{name: "snippet-" + name + "-environ", files: []string{path}, environ: snippetEnviron})
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].name < cases[j].name })
	return cases
}

// snippetEnviron sets the variables the snippets use, and project options.
var snippetEnviron = []string{"TAG=1.28", "UNSET_A=a", "UNSET_B=", "USER=u", "KEY=k", "B=from-env", "COMPOSE_PROJECT_NAME=named", "COMPOSE_PROFILES=debug", "TOKEN=t", "UNSET_X=x", "UNSET_C=c", "UNSET_N=n"}

// fastLoadSnippets are corners of what the fast path reads, each compared
// with compose-go like the files above (some it takes, some it declines).
var fastLoadSnippets = map[string]string{
	"ports-folded":          "services:\n  web:\n    image: nginx\n    ports: [\"80:80\", \"0.0.0.0:80:80\", \"127.0.0.1:81:81\", {target: 82, published: 8082, host_ip: \"::1\"}]\n",
	"ports-bad-ip":          "services:\n  web:\n    image: nginx\n    ports: [{target: 80, host_ip: nowhere}]\n",
	"env-unset":             "services:\n  web:\n    image: \"nginx:${TAG:-1.27}\"\n    environment:\n      A: $UNSET_A\n      B: ${UNSET_B:-b}\n      C:\n      D: 1.50\n      E: true\n    labels: [\"x=$${escaped}\", y]\n",
	"version":               "version: \"3.8\"\nservices:\n  web:\n    image: nginx\n",
	"links":                 "services:\n  web:\n    image: nginx\n    links: [\"db:database\", cache]\n    volumes_from: [\"files:ro\", \"container:other\"]\n  db:\n    image: postgres\n  cache:\n    image: redis\n  files:\n    image: busybox\n  side:\n    image: busybox\n    network_mode: \"service:web\"\n",
	"lists-folded":          "services:\n  web:\n    image: nginx\n    cap_add: [NET_ADMIN, NET_ADMIN]\n",
	"tmpfs-folded":          "services:\n  web:\n    image: nginx\n    tmpfs: [\"/a:size=1\", \"/a:size=2\"]\n",
	"secrets-default":       "services:\n  web:\n    image: nginx\n    secrets: [token, {source: key, target: /etc/key, mode: 0440}]\n    configs: [conf]\nsecrets:\n  token:\n    file: ./token.txt\n  key:\n    environment: KEY\nconfigs:\n  conf:\n    content: \"hello ${USER:-me}\"\n",
	"casts":                 "services:\n  web:\n    image: nginx\n    read_only: \"true\"\n    init: \"false\"\n    deploy:\n      replicas: \"3\"\n    healthcheck:\n      test: curl -f localhost\n      retries: \"5\"\n      disable: \"False\"\n    depends_on:\n      db: {condition: service_healthy, required: \"false\"}\n  db:\n    image: postgres\n",
	"bool-words":            "services:\n  web:\n    image: nginx\n    read_only: \"yes\"\n",
	"extensions":            "x-common: &x {a: 1}\nservices:\n  web:\n    image: nginx\n",
	"extensions-plain":      "x-berth:\n  environments:\n    prod: {replicas: 2}\nservices:\n  web:\n    image: nginx\n    x-berth: {kind: StatefulSet, note: \"$${HOME}\"}\n",
	"build":                 "services:\n  app:\n    build:\n      context: ./app\n      dockerfile: Containerfile\n      args: [A=1, B, C=${UNSET_C:-c}]\n  api:\n    build: ../api\n    image: api:dev\n",
	"no-services":           "name: empty\n",
	"volume-external":       "services:\n  db:\n    image: postgres\n    volumes: [\"data:/var/lib/postgresql/data\", \"./init:/docker-entrypoint-initdb.d:ro\", \"/srv/x:/x\"]\nvolumes:\n  data:\n    external: true\n",
	"env-file":              "services:\n  web:\n    image: nginx\n    env_file: [missing.env, {path: optional.env, required: false}]\n",
	"deploy-full":           "services:\n  web:\n    image: nginx\n    deploy:\n      mode: replicated\n      labels: {team: web}\n      restart_policy: {condition: on-failure, delay: 5s, max_attempts: \"3\", window: 2m}\n      update_config: {parallelism: 2, delay: 10s, order: start-first, failure_action: rollback}\n      rollback_config: {parallelism: 1, order: bad-order}\n      placement: {constraints: [\"node.role==worker\"], max_replicas_per_node: 1}\n      resources: {limits: {pids: 100}}\nvolumes:\n  data: {labels: [a=1]}\n",
	"deploy-ok":             "services:\n  web:\n    image: nginx\n    deploy:\n      mode: global\n      restart_policy: {condition: any, max_attempts: 2}\n      update_config: {parallelism: 2, monitor: 1m, order: stop-first}\n      resources: {limits: {pids: 100, cpus: 2, memory: 1gb}, reservations: {cpus: \"0.25\"}}\nvolumes:\n  data: {labels: {a: 1}, driver: local}\n",
	"alias-merge-and-value": "x-a: &a {image: nginx}\nservices:\n  web:\n    <<: *a\n    x-copy: *a\n",
	"alias-two-services":    "x-a: &a {image: nginx}\nx-log: &log {driver: json-file}\nservices:\n  web:\n    <<: *a\n    x-log: *log\n  api:\n    <<: *a\n    x-log: *log\n",
	"alias-nested-env":      "x-env: &env {A: 1}\nservices:\n  web:\n    image: nginx\n    environment: *env\n    x-more: {env: *env}\n",
	"networks":              "services:\n  web:\n    image: nginx\n    networks:\n      front: {aliases: [www]}\n      back:\n      side:\nnetworks:\n  front:\n  back: {internal: true, labels: [a=1, b]}\n  side: {labels: {c: 3}, driver: bridge}\n",
}

// corpusCases reads ../shared/corpus/cases.tsv: case name, then its -f
// files separated by spaces (relative to the case's directory).
func corpusCases(t *testing.T) []fastLoadCase {
	data, err := os.ReadFile(filepath.Join(fastCorpusDir, "cases.tsv"))
	if err != nil {
		t.Logf("corpus not available (%v): only fixtures and generated files compared", err)
		return nil
	}
	var out []fastLoadCase
	for _, line := range strings.Split(string(data), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) < 2 || cols[0] == "case" {
			continue
		}
		var files []string
		for _, f := range strings.Split(cols[1], ",") {
			files = append(files, filepath.Join(fastCorpusDir, cols[0], f))
		}
		out = append(out, fastLoadCase{name: "corpus-" + cols[0], files: files})
	}
	return out
}

// fastCorpusDir is corpus_test.go's corpusDir, for this package's tests.
const fastCorpusDir = "../../shared/corpus"

// FuzzFastLoadEqualsCompose mutates compose files: whenever the fast path
// accepts one, loading it must give what compose-go's loader gives.
func FuzzFastLoadEqualsCompose(f *testing.F) {
	fixtures, _ := filepath.Glob("../fixtures/*/compose.yaml")
	for _, path := range fixtures {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("services:\n  web:\n    image: nginx\n    ports: [\"8080:80\", 9000]\n    depends_on: [db]\n  db:\n    image: postgres\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data:\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "compose.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		compareLoads(t, fastLoadCase{name: "fuzzed", files: []string{path}})
	})
}
