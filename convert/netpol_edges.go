package convert

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// edge is one allowed connection between two services' pods: from reaches to.
type edge struct {
	from, to string   // pod owners (compose service names)
	why      []string // depends_on, links, environment NAME, ...
	ports    []int32  // ports named in environment values (used when to declares none)
}

// edgeSet collects edges keyed by from→to, merging reasons.
type edgeSet struct {
	byKey map[edgeKey]*edge
}

// edgeKey is from→to, a struct so that looking an edge up joins no strings.
type edgeKey struct{ from, to string }

func (e *edgeSet) add(from, to, why string, port int32) {
	if e.byKey == nil {
		e.byKey = map[edgeKey]*edge{}
	}
	key := edgeKey{from, to}
	ed, ok := e.byKey[key]
	if !ok {
		ed = &edge{from: from, to: to}
		e.byKey[key] = ed
	}
	if !containsString(ed.why, why) {
		ed.why = append(ed.why, why)
	}
	if port > 0 && !containsInt32(ed.ports, port) {
		ed.ports = append(ed.ports, port)
	}
}

// list returns the edges sorted by from, then to. Keys, reasons and ports
// are distinct, so any sort gives this order; slices' sorts allocate no
// swapper per edge as sort.Slice did.
func (e *edgeSet) list() []*edge {
	out := make([]*edge, 0, len(e.byKey))
	for _, ed := range e.byKey {
		slices.Sort(ed.why)
		slices.Sort(ed.ports)
		out = append(out, ed)
	}
	slices.SortFunc(out, func(a, b *edge) int {
		return cmp.Or(strings.Compare(a.from, b.from), strings.Compare(a.to, b.to))
	})
	return out
}

// hostNames maps every name a service answers to inside the project (its
// own name, its DNS form, network aliases, links aliases, hostname,
// container_name) to the service.
func (c *converter) hostNames() map[string]string {
	names := map[string]string{}
	for _, n := range c.serviceNames() {
		names[strings.ToLower(n)] = n
		names[DNSName(n)] = n
		for _, a := range serviceAliases(n, c.p.Services[n].Networks, c.p.Services[n].Links) {
			if _, ok := names[strings.ToLower(a.name)]; !ok {
				names[strings.ToLower(a.name)] = a.target
			}
		}
	}
	for _, n := range c.serviceNames() {
		for _, h := range []string{c.p.Services[n].Hostname, c.p.Services[n].ContainerName} {
			if h == "" {
				continue
			}
			if _, ok := names[strings.ToLower(h)]; !ok {
				names[strings.ToLower(h)] = n
			}
		}
	}
	return names
}

// candidateEdges lists who reaches whom before networks narrow it: from
// depends_on, links, and host names in environment values.
func (c *converter) candidateEdges() *edgeSet {
	set := &edgeSet{}
	names := c.hostNames()
	for _, n := range c.serviceNames() {
		for _, dep := range sortedKeys(c.p.Services[n].DependsOn) {
			if _, ok := c.p.Services[dep]; ok {
				set.add(n, dep, "depends_on", 0)
			}
		}
		env := c.p.Services[n].Environment
		for _, l := range c.p.Services[n].Links {
			target, _, _ := strings.Cut(l, ":")
			if _, ok := c.p.Services[target]; ok {
				set.add(n, target, "links", 0)
			}
		}
		for _, k := range sortedKeys(env) {
			v := env[k]
			if v == nil {
				continue
			}
			for _, ref := range hostRefs(*v, hostVariable(k)) {
				if target, ok := names[clusterShortName(ref.host, c.namespace)]; ok {
					set.add(n, target, "environment "+k, ref.port)
				}
			}
		}
	}
	return set
}

// clusterShortName reduces an in-cluster DNS name of this namespace
// (db.<ns>, db.<ns>.svc, db.<ns>.svc.cluster.local) to "db".
func clusterShortName(host, namespace string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, suffix := range []string{".svc.cluster.local", ".svc"} {
		host = strings.TrimSuffix(host, suffix)
	}
	if short, ok := strings.CutSuffix(host, "."+namespace); ok {
		return short
	}
	return host
}

// hostRef is a host (and maybe port) mentioned in a value.
type hostRef struct {
	host string
	port int32
}

var hostPortPattern = regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9_.-]*):([0-9]{1,5})\b`)

// hostWords mark a variable whose bare value is a host name (REDIS_HOST=cache);
// elsewhere a bare word (MODE=postgres) is not taken for one.
var hostWords = []string{"HOST", "ADDR", "ADDRESS", "SERVER", "SERVERS", "URL", "URI", "ENDPOINT", "BROKER", "BROKERS",
	"NODES", "PEERS", "SEEDS", "UPSTREAM", "BACKEND", "PROXY", "DSN", "HOSTNAME", "HOSTS"}

func hostVariable(name string) bool {
	return anyUpperWord(name, func(w string) bool { return containsString(hostWords, w) })
}

// hostRefs finds host names in an environment value: the whole value when
// the variable names a host ("cache"), URL hosts ("postgres://u:p@db:5432/x",
// "mongodb://a,b/x"), user@host, and host:port pairs anywhere
// ("tcp(db:3306)", "kafka:9092").
func hostRefs(v string, bareHosts bool) []hostRef {
	var out []hostRef
	for rest := v; rest != ""; {
		var piece string
		piece, rest = nextPiece(rest)
		if piece == "" {
			continue
		}
		if i := strings.Index(piece, "://"); i >= 0 {
			piece = piece[i+3:]
		} else if !bareHosts && !strings.ContainsAny(piece, ":@") {
			continue
		}
		if i := strings.IndexAny(piece, "/?#"); i >= 0 {
			piece = piece[:i]
		}
		if i := strings.LastIndex(piece, "@"); i >= 0 {
			piece = piece[i+1:]
		}
		host, port, _ := strings.Cut(piece, ":")
		out = append(out, hostRef{host: host, port: parsePort(port)})
	}
	if !strings.Contains(v, ":") {
		return out // hostPortPattern needs one
	}
	for _, m := range hostPortPattern.FindAllStringSubmatch(v, -1) {
		out = append(out, hostRef{host: m[1], port: parsePort(m[2])})
	}
	return out
}

// nextPiece cuts v at its first separator (space, comma, semicolon, tab,
// newline): the fields strings.FieldsFunc would give, one at a time and
// possibly empty, without building a slice of them.
func nextPiece(v string) (piece, rest string) {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ' ', ',', ';', '\t', '\n':
			return v[:i], v[i+1:]
		}
	}
	return v, ""
}

func parsePort(s string) int32 {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 65535 {
		return 0
	}
	return int32(n)
}

// serviceNetworks returns the compose networks a service's pod is on; a
// service without `networks` is on "default". nil means no network at all.
func (c *converter) serviceNetworks(name string) map[string]bool {
	s := c.p.Services[c.ownerOf(name)]
	switch {
	case s.NetworkMode == "none":
		return nil
	case s.NetworkMode == "host":
		return map[string]bool{"host": true}
	}
	nets := map[string]bool{}
	for n := range s.Networks {
		nets[n] = true
	}
	if len(nets) == 0 {
		nets["default"] = true
	}
	return nets
}

// commonNetwork reports whether two services share a compose network.
func (c *converter) commonNetwork(a, b string) bool {
	na, nb := c.serviceNetworks(a), c.serviceNetworks(b)
	for n := range na {
		if nb[n] {
			return true
		}
	}
	return false
}

// allowedEdges narrows candidate edges to pods that can talk: not within one
// pod (they share localhost), and on a common compose network (reported when
// not, since compose would refuse the connection too).
//
// Without pods shared by several services each candidate is its own pod
// edge, already sorted with sorted reasons and ports: those that pass are
// kept as they are instead of merged again.
func (c *converter) allowedEdges() []*edge {
	merged := &edgeSet{}
	var kept []*edge
	for _, ed := range c.candidateEdges().list() {
		from, to := c.ownerOf(ed.from), c.ownerOf(ed.to)
		if from == to {
			continue
		}
		if !c.commonNetwork(ed.from, ed.to) {
			c.rep.note("network policy: no edge %s → %s (%s): they share no compose network", ed.from, ed.to, strings.Join(ed.why, ", "))
			if containsString(ed.why, "depends_on") {
				c.rep.approx(ed.from, "depends_on."+ed.to, "%s shares no network with %s: no NetworkPolicy edge, so its wait init container cannot reach it where NetworkPolicy is enforced", ed.from, ed.to)
			}
			continue
		}
		if len(c.podOwner) == 0 {
			kept = append(kept, ed)
			continue
		}
		for _, why := range ed.why {
			merged.add(from, to, why, 0)
		}
		for _, p := range ed.ports {
			merged.add(from, to, ed.why[0], p)
		}
	}
	if len(c.podOwner) == 0 {
		return kept
	}
	return merged.list()
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsInt32(list []int32, v int32) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func portList(ports []svcPort) string {
	parts := make([]string, 0, len(ports))
	for _, p := range ports {
		parts = append(parts, fmt.Sprintf("%d/%s", p.port, p.protocol))
	}
	if len(parts) == 0 {
		return "all ports"
	}
	return strings.Join(parts, ", ")
}
