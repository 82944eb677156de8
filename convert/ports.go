package convert

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// svcPort is a port a service listens on inside the cluster.
type svcPort struct {
	name     string
	port     int32
	protocol corev1.Protocol
}

// servicePorts lists the container ports a service publishes or exposes,
// deduplicated, in a stable order. Inside the cluster a Service listens on the
// container port, as compose's network does: clients keep using db:5432.
func servicePorts(s types.ServiceConfig) []svcPort {
	return portsOf(s.Ports, s.Expose)
}

// indexPorts works out the ports of every service and pod once: a
// service's are asked for by its container, its Services, the init
// containers of those that depend on it, the policies of those that reach
// it, and the aliases.
func (c *converter) indexPorts() {
	c.ports = make(map[string][]svcPort, len(c.p.Services))
	for name := range c.p.Services {
		c.ports[name] = slices.Clip(portsOf(c.p.Services[name].Ports, c.p.Services[name].Expose))
	}
	c.podPortsOf = make(map[string][]svcPort, len(c.guests))
	for owner, guests := range c.guests {
		ports := c.ports[owner]
		for _, g := range guests {
			ports = append(ports, c.ports[g]...)
		}
		c.podPortsOf[owner] = slices.Clip(ports)
	}
}

// portsOfService is servicePorts of the project's service; callers must
// not modify the slice.
func (c *converter) portsOfService(service string) []svcPort {
	return c.ports[service]
}

// podPorts lists the ports served by a pod owner and its guests; callers
// must not modify the slice.
func (c *converter) podPorts(owner string) []svcPort {
	if ports, ok := c.podPortsOf[owner]; ok {
		return ports
	}
	return c.ports[owner]
}

// portsOf is servicePorts from the two fields it reads: callers that go
// over the project pass those rather than copy a whole ServiceConfig (1.4
// kB, mostly cold) out of the map.
func portsOf(ports []types.ServicePortConfig, expose types.StringOrNumberList) []svcPort {
	var out []svcPort
	add := func(port int32, proto string) {
		if port <= 0 || port > 65535 {
			return
		}
		out = append(out, svcPort{port: port, protocol: protocol(proto)})
	}
	for _, p := range ports {
		add(int32(p.Target), p.Protocol)
	}
	for _, e := range expose {
		spec, proto, _ := strings.Cut(e, "/")
		lo, hi := portRange(spec)
		for port := lo; port <= hi && port-lo < 1000; port++ {
			add(port, proto)
		}
	}
	slices.SortStableFunc(out, func(a, b svcPort) int {
		return cmp.Or(cmp.Compare(a.port, b.port), cmp.Compare(a.protocol, b.protocol))
	})
	return namePorts(dedupPorts(out))
}

// dedupPorts drops repeated port/protocol pairs of a sorted list (sorting
// first and comparing neighbours needs no set).
func dedupPorts(sorted []svcPort) []svcPort {
	out := sorted[:0]
	for i, p := range sorted {
		if i > 0 && p.port == sorted[i-1].port && p.protocol == sorted[i-1].protocol {
			continue
		}
		out = append(out, p)
	}
	return out
}

// namePorts names each port "<protocol>-<port>" (tcp-8080).
func namePorts(ports []svcPort) []svcPort {
	for i := range ports {
		ports[i].name = strings.ToLower(string(ports[i].protocol)) + "-" + strconv.Itoa(int(ports[i].port))
	}
	return ports
}

// portRange parses "3000" or "3000-3005".
func portRange(s string) (int32, int32) {
	a, b, isRange := strings.Cut(s, "-")
	lo, err := strconv.Atoi(strings.TrimSpace(a))
	if err != nil {
		return 0, -1
	}
	if !isRange {
		return int32(lo), int32(lo)
	}
	hi, err := strconv.Atoi(strings.TrimSpace(b))
	if err != nil || hi < lo {
		return int32(lo), int32(lo)
	}
	return int32(lo), int32(hi)
}

func protocol(p string) corev1.Protocol {
	switch strings.ToLower(p) {
	case "udp":
		return corev1.ProtocolUDP
	case "sctp":
		return corev1.ProtocolSCTP
	}
	return corev1.ProtocolTCP
}

// headlessName is the Service a StatefulSet names as its governing service:
// the service's own Service when it is headless (no ports), else <name>-headless.
func (c *converter) headlessName(service string) string {
	return headlessNameOf(service, len(c.portsOfService(service)) > 0)
}

func headlessNameOf(service string, hasPorts bool) string {
	if !hasPorts {
		return DNSName(service)
	}
	return childName(DNSName(service), "headless")
}

// addServices creates the Services that make a compose service reachable by
// name: one with every port it publishes or exposes, a headless one when it
// declares no port (others may still reach it) or is a StatefulSet, and
// aliases from networks and links. Published ports are recorded for `up`.
func (c *converter) addServices(s types.ServiceConfig, kind string) {
	ports := c.podPorts(s.Name)
	name := DNSName(s.Name)
	svc := c.service(name, s.Name, ports)
	if len(ports) == 0 {
		svc.Spec.ClusterIP = corev1.ClusterIPNone
		c.rep.mapped(s.Name, "name", "headless Service %s: no port declared, the name still resolves to the pod", name)
	}
	if kind != KindJob || len(ports) > 0 {
		c.add(svc)
	}
	if kind == KindStatefulSet && len(ports) > 0 {
		h := c.service(c.headlessName(s.Name), s.Name, ports)
		h.Spec.ClusterIP = corev1.ClusterIPNone
		h.Spec.PublishNotReadyAddresses = true
		c.add(h)
	}
	c.reportPorts(s)
	c.recordPublished(s)
	for _, g := range c.podGuests(s.Name) {
		c.recordPublished(c.p.Services[g])
	}
}

func (c *converter) service(name, service string, ports []svcPort) *corev1.Service {
	svc := &corev1.Service{
		ObjectMeta: c.meta(name, service),
		Spec:       corev1.ServiceSpec{Selector: c.selectorLabels(c.ownerOf(service))},
	}
	seen := map[string]bool{}
	for _, p := range ports {
		if seen[p.name] {
			continue
		}
		seen[p.name] = true
		svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{
			Name: p.name, Port: p.port, TargetPort: intstr.FromInt32(p.port), Protocol: p.protocol,
		})
	}
	typeMeta(svc, "", "v1", "Service")
	return svc
}

// ownerOf returns the service whose pod runs service's container.
func (c *converter) ownerOf(service string) string {
	if o, ok := c.podOwner[service]; ok {
		return o
	}
	return service
}

func (c *converter) reportPorts(s types.ServiceConfig) {
	if len(s.Ports) > 0 {
		c.rep.mapped(s.Name, "ports", "Service "+DNSName(s.Name)+" on the container ports; published ports are forwarded by `berth up` and exposed by the environment's load balancer")
	}
	if len(s.Expose) == 0 {
		return
	}
	if bad := unusableExpose(s.Expose); len(bad) > 0 {
		c.rep.approx(s.Name, "expose", "Service ports; ignored %s (not a port from 1 to 65535, or a range of more than 1000)", strings.Join(bad, ", "))
		return
	}
	c.rep.mapped(s.Name, "expose", "Service ports")
}

// unusableExpose lists the expose entries portsOf skips, quoted.
func unusableExpose(expose types.StringOrNumberList) []string {
	var bad []string
	for _, e := range expose {
		spec, _, _ := strings.Cut(e, "/")
		lo, hi := portRange(spec)
		if lo <= 0 || hi > 65535 || hi-lo >= 1000 {
			bad = append(bad, strconv.Quote(e))
		}
	}
	return bad
}

// recordPublished notes the published ports for `up` (port-forward) and the
// production load balancers.
func (c *converter) recordPublished(s types.ServiceConfig) {
	ext, _ := serviceExt(s)
	published := publishedCount(s)
	udp := map[uint32]bool{} // a port taken for UDP too speaks syslog, DNS...: not HTTP
	for _, p := range s.Ports {
		if protocol(p.Protocol) == corev1.ProtocolUDP {
			udp[p.Target] = true
		}
	}
	for _, p := range s.Ports {
		hp, ok := c.hostPort(s.Name, p)
		if !ok {
			continue
		}
		target := int32(p.Target)
		var g portGuess // UDP and SCTP are never HTTP, whatever the port number
		if protocol(p.Protocol) == corev1.ProtocolTCP && (!udp[p.Target] || ext.Expose != "" || p.AppProtocol != "") {
			g = guessPort(s, ext, target, p.AppProtocol, published)
		}
		c.b.Ports = append(c.b.Ports, PublishedPort{
			Service: s.Name, Workload: c.ownerOf(s.Name), HostIP: p.HostIP, HostPort: hp, ContainerPort: target,
			Protocol: string(protocol(p.Protocol)), HTTP: g.http, TLS: g.tls,
		})
	}
}

// hostPort is the one host port berth forwards and exposes for a published
// port; false when it is not published (or not a number).
func (c *converter) hostPort(service string, p types.ServicePortConfig) (int32, bool) {
	if p.Published == "" {
		return 0, false
	}
	lo, hi := portRange(p.Published)
	switch {
	case lo == 0 && hi == 0:
		// "0:5432": any free host port; a load balancer needs a number
		c.rep.note("ports %s: published port 0 (any free port) is %d, the container port, for the load balancer and `berth up`", service, p.Target)
		return int32(p.Target), true
	case hi > lo:
		// compose-go splits "8080-8082:80-82" into one entry per port, so a
		// range left here maps to one container port ("9000-9001:80"):
		// docker binds one free port of it, berth the first
		c.rep.note("ports %s: host ports %s for container port %d: docker binds one of them; berth forwards and exposes %d", service, p.Published, p.Target, lo)
	}
	return lo, hi >= lo && lo > 0
}
