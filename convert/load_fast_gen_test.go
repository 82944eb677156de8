package convert

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// fastGenValues are values for the service keys the fast loader reads:
// ordinary ones first (pickValue favours the first two), then corners
// where compose-go casts, folds or refuses, and shapes it declines. Each
// generated service takes a few keys at random.
var fastGenValues = map[string][]string{
	"image":             {"nginx", `"nginx:${TAG:-1.27}"`, "5", "null", `""`, "[a]"},
	"build":             {".", "./app", "{context: ./app, dockerfile: Dockerfile.dev}", "{args: [A=1, B]}", "{target: prod, args: {X: null}}", "~/x", "https://github.com/a/b.git"},
	"command":           {"sleep 1", `["sh", "-c", "echo $$HOME"]`, "[]", `"echo 'unterminated"`, "[1, 2]", "null"},
	"entrypoint":        {"/init", "[]", `["/bin/sh"]`},
	"environment":       {"{A: 1, B: true, C: null, D: 0.5, E: \"x\"}", "[A=1, B, C=]", "[A=1, A=2]", "[\"A =1\"]", "{\"\": x}", "{A: ${UNSET_X}, B: $${esc}}"},
	"labels":            {"{a: 1}", "[a=1, b]", "[a=1, a=2]", "{a: null}"},
	"ports":             {`["80"]`, `["8080:80", "8443:443/tcp"]`, `[80, "81:81/udp"]`, `["127.0.0.1:5432:5432"]`, `["80:80", "0.0.0.0:80:80"]`, `[{target: 80, published: 8080}]`, `[{target: "80", published: "8080", protocol: udp, mode: host}]`, `["9000-9001:80"]`, `["99999:80"]`, `[{published: 80}]`, `["::1:80:80"]`},
	"expose":            {`["80"]`, `[80, "81-82"]`, `[80, 80]`, `[true]`},
	"volumes":           {`["data:/data"]`, `[{type: volume, source: data, target: /data, volume: {nocopy: true}}]`, `[{type: bind, source: ./conf, target: /etc/conf/, read_only: "true", bind: {selinux: z}}]`, `[{type: tmpfs, target: /run, tmpfs: {size: 64m, mode: 1777}}]`, `[{type: bind, target: /x}]`, `[{source: data, target: /d}]`, `[{type: tmpfs, target: /t, tmpfs: {mode: "1777"}}]`, `[{type: bind, source: /h, target: /c, bind: {create_host_path: false, propagation: rprivate}}]`, `["./conf:/etc/conf:ro"]`, `["/host:/c", "data:/d:nocopy"]`, `["data:/x", "data:/x/"]`, `["/anon"]`, `["~/x:/y"]`, `["a:b:c:d"]`},
	"depends_on":        {"[db]", "{db: {condition: service_healthy}}", "{db: {condition: service_started, required: false, restart: true}}", "{db: {}}", "{db: {condition: bogus}}", "[db, db]"},
	"healthcheck":       {`{test: ["CMD", "true"], interval: 10s, timeout: 1s, retries: 3, start_period: 1m}`, `{test: curl -f localhost, retries: "5"}`, `{disable: true}`, `{test: ["NONE"]}`, `{interval: 10}`, `{retries: -1}`, `{interval: 5q}`},
	"deploy":            {"{replicas: 2}", `{replicas: "3", resources: {limits: {cpus: "0.5", memory: 256M}, reservations: {cpus: 0.1, memory: 64m}}}`, "{mode: global, restart_policy: {condition: on-failure, max_attempts: 3}}", "{update_config: {parallelism: 2, order: start-first}}", "{placement: {constraints: [a==b]}}", "{resources: {limits: {memory: lots}}}", "{replicas: -1}", "{endpoint_mode: vip, labels: [a=b]}"},
	"restart":           {"always", "unless-stopped", `"no"`, "on-failure:3"},
	"networks":          {"[front]", "{front: {aliases: [www]}, back: null}", "[default]", "[]", "{front: {ipv4_address: 10.0.0.2}}"},
	"profiles":          {"[debug]", "[a, b]", "[a, a]"},
	"env_file":          {"missing.env", "[{path: opt.env, required: false}]", "[present.env]"},
	"secrets":           {"[token]", "[{source: token, target: /etc/token, mode: 0400}]", "[token, token]", "[{source: token, mode: 0.5}]"},
	"configs":           {"[conf]", "[{source: conf, target: /etc/conf}]"},
	"links":             {"[db]", `["db:database"]`},
	"network_mode":      {"host", `"service:db"`, "none"},
	"container_name":    {"my-web", "_bad", `"a"`},
	"user":              {"1000", `"1000:1000"`, "app"},
	"read_only":         {"true", `"true"`, `"yes"`, "1"},
	"init":              {"true", `"false"`},
	"cap_add":           {"[NET_ADMIN]", "[NET_ADMIN, NET_ADMIN]"},
	"tmpfs":             {"/run", `["/run:size=64m", "/tmp"]`},
	"stop_grace_period": {"10s", "1m30s", "10"},
	"extra_hosts":       {`["db:10.0.0.1"]`, `{db: 10.0.0.1, cache: ["10.0.0.2", "10.0.0.3"]}`, `["db=10.0.0.1"]`},
	"dns":               {"8.8.8.8", "[1.1.1.1, 8.8.8.8]"},
	"scale":             {"2", `"3"`, "x"},
	"x-berth":           {"{kind: StatefulSet}", "{note: ${UNSET_N:-n}}"},
	"ulimits":           {"{nofile: {soft: 1024, hard: 2048}}", `{nproc: 512, core: "0"}`, "{nofile: {soft: 1}}", "{NOFILE: 1}"},
	"sysctls":           {"{net.core.somaxconn: 1024}", "[net.ipv4.tcp_syncookies=0, vm.x]", "[a=1, a=2]"},
	"annotations":       {"{a: b}", "[a=b]"},
	"mem_limit":         {"256m", "1073741824", "1.5", "lots"},
	"shm_size":          {"64m", "0"},
	"ipc":               {"host", `"service:db"`, "shareable"},
	"pid":               {"host", `"service:db"`, "null"},
	"dns_search":        {"example.com", "[a.example, b.example]"},
	"dns_opt":           {"[use-vc]", "[ndots:2, ndots:2]"},
	"logging":           {"{driver: json-file, options: {max-size: 10m, max-file: 3}}", "{driver: none}", "{options: {a: null, b: true}}", "{driver: local, extra: 1}"},
	"pull_policy":       {"always", "if_not_present", "every_2h", "sometimes"},
	"group_add":         {"[audio, 1001]", `["1001", 1001]`},
	"oom_score_adj":     {"-500", `"100"`, "2000"},
	"pids_limit":        {"100", `"-1"`, "1.5"},
	"cpu_shares":        {"512", `"1024"`},
	"working_dir":       {"/app"},
	"hostname":          {"web"},
}

// fastGenTop are top-level sections to add to some projects.
var fastGenTop = []string{
	"volumes:\n  data:\n",
	"volumes:\n  data: {external: true}\n",
	"volumes:\n  data: {driver: local, labels: {a: b}}\n",
	"networks:\n  front:\n  back: {internal: true}\n",
	"secrets:\n  token: {file: ./token.txt}\n",
	"secrets:\n  token: {environment: TOKEN}\n",
	"configs:\n  conf: {content: hello}\n",
	"configs:\n  conf: {file: ./conf.txt, content: both}\n",
	"version: \"3\"\n",
	"name: gen\n",
	"x-anchors: {a: 1}\n",
}

// TestFastLoadGeneratedEqualsCompose compares both loaders on projects
// made of the values above, from fixed seeds: wherever the fast path takes
// one, the load must equal compose-go's, errors and warnings included.
func TestFastLoadGeneratedEqualsCompose(t *testing.T) {
	keys := sortedKeys(fastGenValues)
	dir := t.TempDir()
	for _, name := range []string{"present.env", "token.txt", "conf.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("A=1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	took := 0
	declines := map[string]int{}
	var mu sync.Mutex // a project of 64+ services is decoded on every CPU
	declineSite = func(key, site string) {
		mu.Lock()
		defer mu.Unlock()
		declines[key+" "+site]++
	}
	defer func() { declineSite = nil }()
	const projects = 400
	for seed := int64(0); seed < projects; seed++ {
		text := generatedCompose(rand.New(rand.NewSource(seed)), keys)
		sub := filepath.Join(dir, fmt.Sprint(seed))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"present.env", "token.txt", "conf.txt"} {
			_ = os.Link(filepath.Join(dir, name), filepath.Join(sub, name))
		}
		path := filepath.Join(sub, "compose.yaml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		c := fastLoadCase{name: fmt.Sprintf("seed %d:\n%s", seed, text), files: []string{path}}
		switch seed % 4 {
		case 1, 3:
			c.environ = snippetEnviron // variables set, a project name and profiles from the environment
		case 2:
			c.profiles = []string{"a", "debug"}
		}
		if compareLoads(t, c) {
			took++
		}
	}
	t.Logf("fast path took %d of %d generated projects; it declined the others at (key, code: projects):", took, projects)
	for _, k := range sortedKeys(declines) {
		t.Logf("  %s: %d", k, declines[k])
	}
	if took < projects/3 {
		t.Errorf("fast path took only %d of %d generated projects: the generator no longer exercises it", took, projects)
	}
}

func generatedCompose(r *rand.Rand, keys []string) string {
	var b strings.Builder
	if r.Intn(3) == 0 {
		b.WriteString(fastGenTop[r.Intn(len(fastGenTop))])
	}
	b.WriteString("services:\n  db:\n    image: postgres\n")
	for i := 0; i < 1+r.Intn(3); i++ {
		fmt.Fprintf(&b, "  svc%d:\n", i)
		picked := map[string]bool{}
		for j := 0; j < 1+r.Intn(5); j++ {
			picked[keys[r.Intn(len(keys))]] = true
		}
		if !picked["build"] {
			picked["image"] = true
		}
		var names []string
		for k := range picked {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Fprintf(&b, "    %s: %s\n", k, pickValue(r, fastGenValues[k]))
		}
	}
	return b.String()
}

// pickValue takes one of the first two values three times in four, so
// most projects are valid and some meet a corner.
func pickValue(r *rand.Rand, values []string) string {
	if r.Intn(4) > 0 {
		return values[r.Intn(min(2, len(values)))]
	}
	return values[r.Intn(len(values))]
}
