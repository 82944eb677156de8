package convert

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
)

// convertYAML loads a compose file written to a temporary project and
// converts it for env.
func convertYAML(t *testing.T, compose, env string) *Bundle {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "app")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(context.Background(), LoadOptions{ProjectDir: dir, Environ: []string{}})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	o := l.Options()
	o.Env = env
	b, err := Convert(l.Project, o)
	if err != nil {
		t.Fatalf("convert: %v", err)
	}
	return b
}

func findObject[T Object](b *Bundle, kind, name string) T {
	var zero T
	for _, o := range b.Objects {
		if Kind(o) == kind && o.GetName() == name {
			if t, ok := o.(T); ok {
				return t
			}
		}
	}
	return zero
}

// ingressSources lists "<source service>:<ports>" of a policy's ingress rules.
func ingressSources(np *networkingv1.NetworkPolicy) []string {
	var out []string
	for _, r := range np.Spec.Ingress {
		from := "anywhere"
		if len(r.From) > 0 {
			switch p := r.From[0]; {
			case p.PodSelector != nil && p.PodSelector.MatchLabels[LabelName] != "":
				from = p.PodSelector.MatchLabels[LabelName]
			case p.PodSelector != nil && p.PodSelector.MatchLabels[LabelBackupOf] != "":
				from = "backup"
			case p.NamespaceSelector != nil:
				from = "namespaces"
			}
		}
		var ports []string
		for _, p := range r.Ports {
			ports = append(ports, p.Port.String())
		}
		out = append(out, from+":"+strings.Join(ports, ","))
	}
	sort.Strings(out)
	return out
}

func egressTargets(np *networkingv1.NetworkPolicy) []string {
	var out []string
	for _, r := range np.Spec.Egress {
		for _, p := range r.To {
			switch {
			case p.IPBlock != nil:
				out = append(out, "external")
			case p.PodSelector != nil:
				out = append(out, p.PodSelector.MatchLabels[LabelName])
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestNetworkPolicyEdges(t *testing.T) {
	cases := []struct {
		name        string
		compose     string
		policy      string
		wantIngress []string
		wantEgress  []string
		wantNote    string
	}{
		{
			name: "env url, depends_on and published port",
			compose: `services:
  web: {image: nginx, ports: ["8080:80"], environment: {DATABASE_URL: "postgres://u:p@db:5432/x"}}
  db: {image: example/db, expose: ["5432"]}
`,
			policy: "db", wantIngress: []string{"web:5432"}, wantEgress: []string{"external"},
			wantNote: "web → db on 5432/TCP (environment DATABASE_URL)",
		},
		{
			name: "published port accepts anyone; egress to its dependency",
			compose: `services:
  web: {image: nginx, ports: ["8080:80"], environment: {DATABASE_URL: "postgres://u:p@db:5432/x"}}
  db: {image: example/db, expose: ["5432"]}
`,
			policy: "web", wantIngress: []string{"anywhere:80"}, wantEgress: []string{"db", "external"},
		},
		{
			name: "plain host name value, link alias, go mysql dsn",
			compose: `services:
  app:
    image: app
    links: ["store:legacy"]
    environment: {REDIS_HOST: cache, DSN: "u:pw@tcp(sql:3306)/app", OTHER: "http://legacy/x"}
  cache: {image: example/kv, expose: ["6379"]}
  sql: {image: example/sql, expose: ["3306"]}
  store: {image: example/store, expose: ["9000"]}
`,
			policy: "app", wantEgress: []string{"cache", "external", "sql", "store"},
			wantNote: "app → store on 9000/TCP (depends_on, environment OTHER, links)",
		},
		{
			name: "target without ports gets the ports named in the value",
			compose: `services:
  app: {image: app, environment: {REDIS_ADDR: "cache:6379"}}
  cache: {image: example/kv}
`,
			policy: "cache", wantIngress: []string{"app:6379"}, wantEgress: []string{"external"},
		},
		{
			name: "no common network: no edge even with depends_on",
			compose: `services:
  front: {image: app, networks: [public], depends_on: [db], environment: {DB: "db:5432"}}
  db: {image: example/db, expose: ["5432"], networks: [private]}
networks: {public: {}, private: {}}
`,
			policy: "db", wantIngress: nil, wantEgress: []string{"external"},
			wantNote: "no edge front → db (depends_on, environment DB): they share no compose network",
		},
		{
			name: "egress none keeps only in-cluster edges",
			compose: `services:
  worker: {image: app, depends_on: [queue], x-berth: {egress: none}}
  queue: {image: example/q, expose: ["5672"]}
`,
			policy: "worker", wantIngress: nil, wantEgress: []string{"queue"},
		},
		{
			name: "in-cluster DNS names of the namespace",
			compose: `services:
  app: {image: app, environment: {API: "http://api.app.svc.cluster.local:8080/v1", OTHER: "http://api.other.svc:8080"}}
  api: {image: example/api, expose: ["8080"]}
`,
			policy: "api", wantIngress: []string{"app:8080"}, wantEgress: []string{"external"},
			wantNote: "app → api on 8080/TCP (environment API)",
		},
		{
			name: "network_mode none: no egress at all",
			compose: `services:
  batch: {image: app, network_mode: none}
`,
			policy: "batch", wantIngress: nil, wantEgress: nil,
		},
		{
			name: "network alias is a host name",
			compose: `services:
  app: {image: app, environment: {SEARCH_URL: "http://search:9200"}}
  es:
    image: example/search
    expose: ["9200"]
    networks: {default: {aliases: [search]}}
`,
			policy: "es", wantIngress: []string{"app:9200"}, wantEgress: []string{"external"},
		},
		{
			name: "scheme and unrelated words are not edges",
			compose: `services:
  app: {image: app, environment: {URL: "postgres://u:p@db.example.com/x", MODE: "postgres"}}
  postgres: {image: example/pg, expose: ["5432"]}
`,
			policy: "postgres", wantIngress: nil, wantEgress: []string{"external"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := convertYAML(t, tc.compose, "local")
			np := findObject[*networkingv1.NetworkPolicy](b, "NetworkPolicy", tc.policy)
			if np == nil {
				t.Fatalf("no NetworkPolicy %s", tc.policy)
			}
			if got := ingressSources(np); !reflect.DeepEqual(got, tc.wantIngress) {
				t.Errorf("ingress = %v, want %v", got, tc.wantIngress)
			}
			if got := egressTargets(np); !reflect.DeepEqual(got, tc.wantEgress) {
				t.Errorf("egress = %v, want %v", got, tc.wantEgress)
			}
			if tc.wantNote != "" && !strings.Contains(strings.Join(b.Report.Notes, "\n"), tc.wantNote) {
				t.Errorf("no note %q in\n%s", tc.wantNote, strings.Join(b.Report.Notes, "\n"))
			}
		})
	}
}

func TestNamespacePoliciesDenyAllButDNS(t *testing.T) {
	b := convertYAML(t, "services:\n  a: {image: app}\n", "prod")
	deny := findObject[*networkingv1.NetworkPolicy](b, "NetworkPolicy", PolicyDefaultDeny)
	if deny == nil || len(deny.Spec.PodSelector.MatchLabels) != 0 || len(deny.Spec.Ingress)+len(deny.Spec.Egress) != 0 || len(deny.Spec.PolicyTypes) != 2 {
		t.Fatalf("default deny policy wrong: %+v", deny)
	}
	dns := findObject[*networkingv1.NetworkPolicy](b, "NetworkPolicy", PolicyAllowDNS)
	if dns == nil || len(dns.Spec.Egress) != 1 || len(dns.Spec.Egress[0].Ports) != 2 ||
		dns.Spec.Egress[0].To[0].PodSelector.MatchLabels["k8s-app"] != "kube-dns" {
		t.Fatalf("DNS policy wrong: %+v", dns)
	}
}

func TestHostRefs(t *testing.T) {
	cases := map[string][]string{
		"cache":                                  {"cache"},
		"postgres://user:pa:ss@db:5432/app":      {"db:5432"},
		"mongodb://a:27017,b:27017/x?replicaSet": {"a:27017", "b:27017"},
		"jdbc:postgresql://pg:5432/x":            {"pg:5432"},
		"u:p@tcp(mysql:3306)/db":                 {"mysql:3306"},
		"amqp://guest@rabbit":                    {"rabbit"},
	}
	for in, want := range cases {
		got := map[string]bool{}
		for _, r := range hostRefs(in, true) {
			s := r.host
			if r.port > 0 {
				s += ":" + strconv.Itoa(int(r.port))
			}
			got[s] = true
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("hostRefs(%q) = %v, missing %s", in, got, w)
			}
		}
	}
}

// A port published for TCP and for UDP (DNS, syslog) is opened for both.
func TestPublishedPortOpenForEachProtocol(t *testing.T) {
	b := convertYAML(t, "services:\n  dns:\n    image: coredns/coredns\n    ports: [\"53:53\", \"53:53/udp\"]\n", "prod")
	np := findObject[*networkingv1.NetworkPolicy](b, "NetworkPolicy", "dns")
	var open []string
	for _, rule := range np.Spec.Ingress {
		if len(rule.From) > 0 {
			continue // from other services; the published rule has no peers
		}
		for _, p := range rule.Ports {
			open = append(open, fmt.Sprintf("%s/%s", p.Port, *p.Protocol))
		}
	}
	if got := strings.Join(open, " "); got != "53/TCP 53/UDP" {
		t.Errorf("published ports open to anyone: %q, want 53/TCP 53/UDP", got)
	}
}

// A port compose publishes on loopback only is not opened to the cluster.
func TestLoopbackPortNotOpenedToAnyone(t *testing.T) {
	b := convertYAML(t, "services:\n  db:\n    image: postgres:16\n    environment: {POSTGRES_PASSWORD: x}\n    ports: [\"127.0.0.1:5432:5432\"]\n", "prod")
	np := findObject[*networkingv1.NetworkPolicy](b, "NetworkPolicy", "db")
	for _, rule := range np.Spec.Ingress {
		if len(rule.From) == 0 {
			t.Errorf("db accepts %v from anywhere; compose publishes 5432 on 127.0.0.1 only", rule.Ports)
		}
	}
}

// A service only on internal networks gets no egress outside the cluster,
// as compose gives it none; one also on another network keeps it. Its
// static address is reported dropped.
func TestInternalNetworksHaveNoExternalEgress(t *testing.T) {
	b := convertYAML(t, `services:
  db:
    image: postgres:16
    environment: {POSTGRES_PASSWORD: x}
    networks:
      back: {ipv4_address: 172.16.0.10}
  web:
    image: nginx
    networks: [back, front]
networks:
  back: {internal: true}
  front: {}
`, "prod")
	external := func(name string) bool {
		np := findObject[*networkingv1.NetworkPolicy](b, "NetworkPolicy", name)
		for _, r := range np.Spec.Egress {
			for _, to := range r.To {
				if to.IPBlock != nil && to.IPBlock.CIDR == "0.0.0.0/0" {
					return true
				}
			}
		}
		return false
	}
	if external("db") || !external("web") {
		t.Errorf("external egress: db %v (want false, only on an internal network), web %v (want true)", external("db"), external("web"))
	}
	if !b.Report.hasKey("db", "networks.back.ipv4_address") {
		t.Error("the static address of db is not reported")
	}
}
