package convert

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// edge is one allowed connection between two services' pods: from reaches to.
type edge struct {
	from, to string   // pod owners (compose service names)
	why      []string // depends_on, links, environment NAME, ...
	ports    []int32  // ports named in environment values (used when to declares none)
	// the first reasons and port, held in the edge (most edges have no more)
	whyBuf   [2]string
	portsBuf [1]int32
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
		ed = newEdge(from, to)
		e.byKey[key] = ed
	}
	ed.merge(why, port)
}

func newEdge(from, to string) *edge {
	ed := &edge{from: from, to: to}
	ed.why, ed.ports = ed.whyBuf[:0], ed.portsBuf[:0]
	return ed
}

// merge adds a reason and a port (0 for none) to the edge, each once.
func (ed *edge) merge(why string, port int32) {
	if !containsString(ed.why, why) {
		ed.why = append(ed.why, why)
	}
	if port > 0 && !containsInt32(ed.ports, port) {
		ed.ports = append(ed.ports, port)
	}
}

// fromEdges collects the edges from one service, merging reasons: a service
// has a few, found by a scan rather than a map.
type fromEdges []*edge

func (l *fromEdges) add(from, to, why string, port int32) {
	for _, ed := range *l {
		if ed.to == to {
			ed.merge(why, port)
			return
		}
	}
	ed := newEdge(from, to)
	ed.merge(why, port)
	*l = append(*l, ed)
}

// list returns the edges sorted by from, then to. Keys, reasons and ports
// are distinct, so any sort gives this order; slices' sorts allocate no
// swapper per edge as sort.Slice did.
func (e *edgeSet) list() []*edge {
	out := make([]*edge, 0, len(e.byKey))
	for _, ed := range e.byKey {
		out = append(out, ed)
	}
	return sortEdges(out)
}

// sortEdges sorts the reasons and ports of each edge, and the edges by
// from, then to.
func sortEdges(out []*edge) []*edge {
	for _, ed := range out {
		slices.Sort(ed.why)
		slices.Sort(ed.ports)
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
	names := make(map[string]string, 2*len(c.p.Services))
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
// depends_on, links, and host names in environment values; sorted by from,
// then to. Each service's edges are found apart (in two halves at once on
// large projects) and the lists joined in service order.
func (c *converter) candidateEdges() []*edge {
	names := c.hostNames()
	services := c.serviceNames()
	from := make([]fromEdges, len(services))
	inTwo(len(services), func(lo, hi int) {
		var refs []hostRef // one buffer for every value of the half
		for i := lo; i < hi; i++ {
			from[i], refs = c.edgesFrom(services[i], names, refs)
		}
	})
	total := 0
	for _, l := range from {
		total += len(l)
	}
	out := make([]*edge, 0, total)
	for _, l := range from {
		out = append(out, l...)
	}
	return out
}

// edgesFrom lists the candidate edges from service n, sorted; refs is a
// buffer, returned for the next call.
func (c *converter) edgesFrom(n string, names map[string]string, refs []hostRef) (fromEdges, []hostRef) {
	var set fromEdges
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
		refs = appendHostRefs(refs[:0], *v, hostVariable(k))
		why := ""
		for _, ref := range refs {
			if target, ok := names[clusterShortName(ref.host, c.namespace)]; ok {
				if why == "" {
					why = "environment " + k
				}
				set.add(n, target, why, ref.port)
			}
		}
	}
	return sortEdges(set), refs
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
	return appendHostRefs(nil, v, bareHosts)
}

// appendHostRefs is hostRefs appending to out, so that one buffer serves
// every value of a project.
func appendHostRefs(out []hostRef, v string, bareHosts bool) []hostRef {
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
		return out // a host:port pair needs one
	}
	return appendHostPorts(out, v)
}

// appendHostPorts appends the host:port pairs of v, as the regular
// expression `([A-Za-z0-9][A-Za-z0-9_.-]*):([0-9]{1,5})\b` finds them
// (FindAllStringSubmatch), without a regexp: it ran over every value with a
// colon and allocated for each match. A host is a whole run of host
// characters (none is a colon) from its first letter or digit; it counts
// when a colon and one to five digits follow it, and then no letter, digit
// or underscore.
func appendHostPorts(out []hostRef, v string) []hostRef {
	for i := 0; i < len(v); {
		if !isAlnum(v[i]) {
			i++
			continue
		}
		end := i + 1
		for end < len(v) && (isAlnum(v[end]) || v[end] == '_' || v[end] == '.' || v[end] == '-') {
			end++
		}
		if end < len(v) && v[end] == ':' {
			d := end + 1
			for d < len(v) && v[d] >= '0' && v[d] <= '9' {
				d++
			}
			if n := d - end - 1; n >= 1 && n <= 5 && (d == len(v) || !isAlnum(v[d]) && v[d] != '_') {
				out = append(out, hostRef{host: v[i:end], port: parsePort(v[end+1 : d])})
				i = d
				continue
			}
		}
		i = end // a match starting later in the run would end at the same place, and fail the same way
	}
	return out
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
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

// podNetworks is what decides the compose networks a pod is on: its
// owner's network_mode and networks. A service without `networks` is on
// "default", one with network_mode host on "host", one with none on none.
// The checks below read it in place: building a set of names per edge and
// per policy was most of what the policies allocated.
type podNetworks struct {
	mode string
	nets map[string]*types.ServiceNetworkConfig
}

// podNetworksOf returns the networks of the pod running name's container.
func (c *converter) podNetworksOf(name string) podNetworks {
	owner := c.ownerOf(name)
	return podNetworks{mode: c.p.Services[owner].NetworkMode, nets: c.p.Services[owner].Networks}
}

// on reports whether the pod is on network n.
func (p podNetworks) on(n string) bool {
	switch {
	case p.mode == "none":
		return false
	case p.mode == "host":
		return n == "host"
	case len(p.nets) == 0:
		return n == "default"
	}
	_, ok := p.nets[n]
	return ok
}

// some reports whether f holds for one of the pod's networks.
func (p podNetworks) some(f func(network string) bool) bool {
	switch {
	case p.mode == "none":
		return false
	case p.mode == "host":
		return f("host")
	case len(p.nets) == 0:
		return f("default")
	}
	for n := range p.nets {
		if f(n) {
			return true
		}
	}
	return false
}

// names lists the pod's networks, sorted; nil for none.
func (p podNetworks) names() []string {
	var out []string
	p.some(func(n string) bool { out = append(out, n); return false })
	slices.Sort(out)
	return out
}

// commonNetwork reports whether two services share a compose network.
func (c *converter) commonNetwork(a, b string) bool {
	return c.podNetworksOf(a).some(c.podNetworksOf(b).on)
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
	for _, ed := range c.candidateEdges() {
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

// portList says "8080/TCP, 53/UDP", or "all ports" for none. It runs for
// every edge and policy, so it appends rather than formats.
func portList(ports []svcPort) string {
	if len(ports) == 0 {
		return "all ports"
	}
	return string(appendPortList(make([]byte, 0, 16*len(ports)), ports))
}

func appendPortList(b []byte, ports []svcPort) []byte {
	if len(ports) == 0 {
		return append(b, "all ports"...)
	}
	for i, p := range ports {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, int64(p.port), 10)
		b = append(b, '/')
		b = append(b, p.protocol...)
	}
	return b
}
