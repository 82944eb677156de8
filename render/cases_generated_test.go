package render_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"berth/convert"
)

// generatedCases are compose projects drawn, with fixed seeds, from valid
// but varied settings: the corners Kubernetes is pickier about than compose
// (names, ports, protocols, modes, timings, amounts). allCases includes
// them, so the API server's dry run, the environment diff, Helm and
// Kustomize all meet them; a failure names a seed that fails every time.
func generatedCases(t *testing.T) []testCase {
	t.Helper()
	var out []testCase
	for seed := int64(1); seed <= generatedSeeds; seed++ {
		dir := writeGenerated(t, seed)
		out = append(out, testCase{name: fmt.Sprintf("generated/seed-%d", seed), load: func() (*convert.Loaded, error) {
			return convert.Load(context.Background(), convert.LoadOptions{ProjectDir: dir, ProjectName: "gen", Environ: []string{}})
		}})
	}
	return out
}

// writeGenerated writes the project of a seed (and the file it mounts) into
// a new temporary directory.
func writeGenerated(t *testing.T, seed int64) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"compose.yaml":  generateCompose(rand.New(rand.NewSource(seed))),
		"conf/app.conf": "setting = 1\n",
	}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// generatedSeeds is how many projects the tests generate.
var generatedSeeds = int64(16)

// generateCompose writes 2 to 4 services, each with a few settings picked
// from serviceSettings, the first a database the others depend on.
func generateCompose(r *rand.Rand) string {
	names := []string{"web", "Api_Server", "worker.v2", "a-service-name-long-enough-to-need-shortening-in-kubernetes-x", "cache"}
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	n := 2 + r.Intn(3)
	var b strings.Builder
	b.WriteString("services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n    volumes: [\"dbdata:/var/lib/postgresql/data\"]\n")
	b.WriteString("    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n      interval: 500ms\n")
	for _, name := range names[:n] {
		fmt.Fprintf(&b, "  %s:\n    image: %s\n", name, []string{"nginx:1.27", "example/app:1", "redis:7"}[r.Intn(3)])
		fmt.Fprintf(&b, "    depends_on:\n      db:\n        condition: %s\n", []string{"service_started", "service_healthy"}[r.Intn(2)])
		picked := map[string]bool{}
		for range 3 + r.Intn(4) {
			s := serviceSettings[r.Intn(len(serviceSettings))]
			keys := settingKeys(s)
			if !slices.ContainsFunc(keys, func(k string) bool { return picked[k] }) {
				for _, k := range keys {
					picked[k] = true
				}
				b.WriteString(indent(s))
			}
		}
	}
	b.WriteString("volumes:\n  dbdata: {}\n  shared: {}\nnetworks:\n  back: {internal: true}\n  default: {}\n")
	b.WriteString("secrets:\n  token:\n    environment: TOKEN\nconfigs:\n  app_conf:\n    content: \"x = 1\"\n")
	return b.String()
}

// settingKeys are the service keys a setting writes; keys compose refuses
// together count as one (network_mode and networks; container_name, scale
// and deploy, which may set replicas).
func settingKeys(s string) []string {
	var keys []string
	for _, line := range strings.Split(s, "\n") {
		if line == "" || line[0] == ' ' {
			continue
		}
		key, _, _ := strings.Cut(line, ":")
		switch key {
		case "network_mode":
			key = "networks"
		case "container_name", "scale":
			key = "deploy" // one container name cannot have replicas
		}
		keys = append(keys, key)
	}
	return keys
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return "    " + strings.Join(lines, "\n    ") + "\n"
}

// serviceSettings are valid compose settings, one top-level key each.
var serviceSettings = []string{
	`ports: ["80", "8080:80", "127.0.0.1:8081:81"]`,
	`ports: ["0:82", "9000-9001:83", "53:53/udp", "53:53"]`,
	"ports:\n  - {target: 84, published: \"8084\", protocol: tcp, mode: host, app_protocol: http}\n  - \"8443:443\"",
	`expose: ["3000", "4000-4002", "5000/udp"]`,
	"environment:\n  A: \"1\"\n  my.var: x\n  dash-name: y\n  API_PASSWORD: secret\n  DB_URL: postgres://u:p@db/x\n  \"bad name\": z\n  \"1DIGIT\": w",
	"healthcheck:\n  test: curl -f http://localhost/ || exit 1\n  interval: 1h\n  timeout: 100ms\n  retries: 0\n  start_period: 2s\n  start_interval: 200ms",
	"healthcheck:\n  test: [\"NONE\"]",
	"healthcheck:\n  disable: true",
	"volumes:\n  - shared:/shared\n  - /anon\n  - ./conf/app.conf:/etc/app/app.conf:ro\n  - type: tmpfs\n    target: /cache\n    tmpfs: {size: 1000000, mode: 01777}",
	"volumes: [\"shared:/shared:ro\", \"./conf:/conf\"]",
	"deploy:\n  replicas: 3\n  resources:\n    limits: {cpus: \"0.25\", memory: 64m}\n    reservations: {cpus: \"0.5\", memory: 128m}\n  update_config: {parallelism: 2, order: stop-first}\n  restart_policy: {condition: on-failure, max_attempts: 2}",
	"deploy:\n  mode: global",
	"deploy:\n  mode: replicated-job\n  replicas: 2",
	"deploy:\n  replicas: 0",
	`user: "1000:1000"`,
	`user: nobody`,
	`hostname: Host_Name.example`,
	"labels:\n  com.example.description: \"with spaces\"\n  \"bad key\": x\n  berth.dev/compose-service: spoof",
	`command: ["sh", "-c", "echo $$(date) $$HOME"]`,
	"entrypoint: []\ncommand: [\"/app\", \"--flag\"]",
	`cap_add: [NET_ADMIN, CAP_SYS_TIME]`,
	"cap_add: [SYS_ADMIN]\nsecurity_opt: [no-new-privileges, seccomp=unconfined, apparmor=unconfined]",
	`privileged: true`,
	`read_only: true`,
	"sysctls:\n  net.core.somaxconn: 1024\n  net.ipv4.tcp_syncookies: 0",
	`extra_hosts: ["gateway:host-gateway", "db.local:10.0.0.5", "v6=::1"]`,
	`dns: [1.1.1.1, 8.8.8.8, 9.9.9.9, 8.8.4.4]`,
	"shm_size: 256m\ntmpfs: [\"/run:size=64m\", /tmp]",
	`stop_grace_period: 1m30s`,
	`working_dir: /srv/app`,
	"tty: true\nstdin_open: true",
	"networks:\n  back:\n    aliases: [Alias_One, alias-two]\n    ipv4_address: 172.20.0.5\n  default: {}",
	"networks: [back]",
	"secrets:\n  - {source: token, target: /etc/token, mode: 0400, uid: \"1000\"}",
	"configs:\n  - {source: app_conf, target: /etc/app.conf, mode: 0440}",
	"x-berth:\n  kind: statefulset\n  volumeSize: 2Gi",
	"x-berth:\n  kind: daemonset",
	"x-berth:\n  kind: job\nrestart: \"no\"",
	`ports: ["${WEB_PORT:-8000}:8000"]`,
	"environment:\n  TEMPLATE: \"$$(HOME) and $$(date)\"\n  EMPTY: \"\"",
	"healthcheck:\n  test: [\"CMD-SHELL\", \"test -f /tmp/ok && echo $$HOSTNAME\"]",
	"ulimits:\n  nofile: {soft: 1024, hard: 2048}\ndevices: [/dev/fuse]\ngpus: all",
	"deploy:\n  resources:\n    limits: {pids: 100, memory: 1g}\n    reservations:\n      devices: [{capabilities: [gpu], count: 1}]\n  placement:\n    constraints: [node.role == manager]\n  labels: {tier: front}\n  endpoint_mode: dnsrr",
	"logging:\n  driver: json-file\n  options: {max-size: 10m}",
	"init: true\npid: host",
	`network_mode: host`,
	`network_mode: none`,
	`restart: unless-stopped`,
	`container_name: My_Container`,
	`domainname: example.com`,
	"build:\n  context: .\n  dockerfile_inline: |\n    FROM alpine\n    USER 1000",
	"volumes:\n  - type: volume\n    source: shared\n    target: /data\n    volume: {nocopy: true, subpath: sub}",
	`links: ["db:database"]`,
	`scale: 2`,
	"labels:\n  kompose.service.type: LoadBalancer\n  kompose.service.expose: \"true\"",
	`platform: linux/arm64`,
	`pull_policy: always`,
}
