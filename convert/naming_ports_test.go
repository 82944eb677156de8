package convert

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// slowDNSLabel is dnsLabel without the fast path for names already valid.
func slowDNSLabel(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

// TestDNSLabelFastPath: returning a valid name unchanged is what the full
// rewrite does too.
func TestDNSLabelFastPath(t *testing.T) {
	names := []string{"", "-", "--", "a", "a-", "-a", "a--b", "a-b", "a-b-c", "A", "aB", "a_b", "a.b", "1", "1-2",
		"web", "svc-0001", "x--", "é", "a\u0130", "a\x80", "a b"}
	alphabet := "ab0-_A."
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		names = append(names, prefix)
		if n == 0 {
			return
		}
		for _, r := range alphabet {
			gen(prefix+string(r), n-1)
		}
	}
	gen("", 5)
	for _, n := range names {
		if got, want := dnsLabel(n), slowDNSLabel(n); got != want {
			t.Errorf("dnsLabel(%q) = %q, want %q", n, got, want)
		}
	}
}

// slowServicePorts is servicePorts as it was: a set of "port/protocol"
// keys while collecting, names by fmt.
func slowServicePorts(s types.ServiceConfig) []svcPort {
	seen := map[string]bool{}
	var out []svcPort
	add := func(port int32, proto string) {
		if port <= 0 || port > 65535 {
			return
		}
		p := protocol(proto)
		key := fmt.Sprintf("%d/%s", port, p)
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, svcPort{name: fmt.Sprintf("%s-%d", strings.ToLower(string(p)), port), port: port, protocol: p})
	}
	for _, p := range s.Ports {
		add(int32(p.Target), p.Protocol)
	}
	for _, e := range s.Expose {
		spec, proto, _ := strings.Cut(e, "/")
		lo, hi := portRange(spec)
		for port := lo; port <= hi && port-lo < 1000; port++ {
			add(port, proto)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].port != out[j].port {
			return out[i].port < out[j].port
		}
		return out[i].protocol < out[j].protocol
	})
	return out
}

// TestServicePortsDedup: sorting then dropping neighbours gives the ports
// the set did, for every real service and some made-up ones.
func TestServicePortsDedup(t *testing.T) {
	services := []types.ServiceConfig{
		{WorkloadSpec: types.WorkloadSpec{
			Ports:  []types.ServicePortConfig{{Target: 80}, {Target: 80, Protocol: "udp"}, {Target: 80}, {Target: 443, Protocol: "TCP"}, {Target: 0}, {Target: 70000}},
			Expose: []string{"80", "79-81", "81/udp", "9000-8000", "x", "1-2000/sctp"},
		}},
	}
	for _, file := range composeFiles(t) {
		l, err := Load(context.Background(), LoadOptions{Files: []string{file}, ProjectDir: filepath.Dir(file),
			ProjectName: "ports", Environ: []string{}, Profiles: []string{"*"}})
		if err != nil {
			continue
		}
		for _, s := range l.Project.Services {
			services = append(services, s)
		}
	}
	for _, s := range services {
		if got, want := servicePorts(s), slowServicePorts(s); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: servicePorts = %v, want %v", s.Name, got, want)
		}
	}
}
