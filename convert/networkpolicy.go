package convert

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Names of the namespace-wide policies.
const (
	PolicyDefaultDeny = "berth-default-deny"
	PolicyAllowDNS    = "berth-allow-dns"
)

// privateRanges are left out of "egress outside the cluster": pod and
// Service CIDRs are not knowable from compose and live in these ranges, and
// so does the cloud metadata endpoint (169.254.169.254).
var privateRanges = [...]string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"}

// networkPolicies renders least-privilege NetworkPolicies: deny everything in
// the namespace, allow DNS, then per service allow exactly the edges compose
// implies (depends_on, links, host names in environment values) on the ports
// the target serves, published ports from outside, and egress outside the
// cluster unless x-berth.egress is none.
func (c *converter) networkPolicies() error {
	c.addNamespacePolicies()
	c.noteEnforcement()
	edges := c.allowedEdges()
	notes := make([]string, len(edges)) // written in two halves, noted in order
	inTwo(len(edges), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			notes[i] = edgeNote(edges[i], c.edgePorts(edges[i]))
		}
	})
	for _, n := range notes {
		c.rep.addNote(n)
	}
	// each service's policy reads only its own edges and published ports:
	// grouped once, not scanned in full per service (quadratic).
	byService := edgesByService(edges)
	published := c.publishedPorts()
	return c.inHalves(c.serviceNames(), func(c *converter, n string) error {
		if _, guest := c.podOwner[n]; guest {
			return nil
		}
		pol, err := c.servicePolicy(n, byService[n], published[n])
		if err != nil {
			return err
		}
		c.add(pol)
		return nil
	})
}

// noteEnforcement says, in the local environment, that the policies only
// block anything under a CNI that implements NetworkPolicy. The offline kind
// cluster `berth up` runs on these machines uses kindnet-lite, a stand-in
// for kind's kindnetd that only wires pod routes, so a working local run
// proves the policies valid, not that they allow exactly what is needed.
func (c *converter) noteEnforcement() {
	if c.opts.Env != "local" {
		return
	}
	c.rep.note("network policy: local: the policies are applied, but only a CNI that implements NetworkPolicy enforces them; the local kind cluster's CNI here (kindnet-lite, the offline stand-in for kind's default kindnetd) does not, so nothing is blocked locally; Calico, Cilium and the kindnetd of recent kind releases do")
}

func (c *converter) addNamespacePolicies() {
	deny := c.newPolicy(PolicyDefaultDeny, "", metav1.LabelSelector{})
	c.add(deny)
	dns := c.newPolicy(PolicyAllowDNS, "", metav1.LabelSelector{})
	dns.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
	dns.Spec.Egress = []networkingv1.NetworkPolicyEgressRule{{
		To: []networkingv1.NetworkPolicyPeer{{
			NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "kube-system"}},
			PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-dns"}},
		}},
		Ports: []networkingv1.NetworkPolicyPort{npPort(53, corev1.ProtocolUDP), npPort(53, corev1.ProtocolTCP)},
	}}
	c.add(dns)
	c.rep.note("network policy: %s denies all ingress and egress in namespace %s; %s allows DNS to kube-system/kube-dns on 53/UDP and 53/TCP", PolicyDefaultDeny, c.namespace, PolicyAllowDNS)
}

// newPolicy returns a NetworkPolicy for both directions with no rule yet.
func (c *converter) newPolicy(name, service string, sel metav1.LabelSelector) *networkingv1.NetworkPolicy {
	np := &networkingv1.NetworkPolicy{
		ObjectMeta: c.meta(name, service),
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: sel,
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
		},
	}
	typeMeta(np, "networking.k8s.io", "v1", "NetworkPolicy")
	return np
}

// edgeNote is the note "network policy: a → b on 80/TCP (depends_on)",
// appended in one buffer: there is one per edge.
func edgeNote(e *edge, ports []svcPort) string {
	b := make([]byte, 0, 128)
	b = append(b, "network policy: "...)
	b = append(b, e.from...)
	b = append(b, " → "...)
	b = append(b, e.to...)
	b = append(b, " on "...)
	b = appendPortList(b, ports)
	b = append(b, " ("...)
	for i, w := range e.why {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, w...)
	}
	return string(append(b, ')'))
}

// edgesByService lists, in order, the edges each service is an end of.
func edgesByService(edges []*edge) map[string][]*edge {
	out := make(map[string][]*edge, len(edges))
	for _, e := range edges {
		out[e.to] = append(out[e.to], e)
		if e.from != e.to {
			out[e.from] = append(out[e.from], e)
		}
	}
	return out
}

// servicePolicy is the policy of one pod owner.
func (c *converter) servicePolicy(name string, edges []*edge, pub []svcPort) (*networkingv1.NetworkPolicy, error) {
	s := c.p.Services[name]
	ext, err := serviceExt(s)
	if err != nil {
		return nil, err
	}
	np := c.newPolicy(DNSName(name), name, metav1.LabelSelector{MatchLabels: c.selectorLabels(name)})
	c.edgeRules(np, name, edges)
	if len(pub) > 0 {
		np.Spec.Ingress = append(np.Spec.Ingress, networkingv1.NetworkPolicyIngressRule{From: c.publishedPeers(), Ports: npPorts(pub)})
		c.rep.addNote("network policy: " + name + " accepts ingress from anywhere (load balancer, ingress controller; `berth up` port-forwards need no rule) on published " + portList(pub))
	}
	if mp := c.scrapePorts(name); len(mp) > 0 {
		np.Spec.Ingress = append(np.Spec.Ingress, networkingv1.NetworkPolicyIngressRule{
			From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{}}}, Ports: npPorts(mp),
		})
		c.rep.note("network policy: %s accepts metrics scrapes from any namespace on %s", name, portList(mp))
	}
	c.externalEgress(s, ext, np)
	return np, nil
}

// edgeRules adds a rule per edge of the policy of name: ingress from the
// services that reach it, egress to those it reaches. The rule slices are
// sized once, as each policy has a few rules and there is one per service.
func (c *converter) edgeRules(np *networkingv1.NetworkPolicy, name string, edges []*edge) {
	in, out := 0, 0
	for _, e := range edges {
		switch name {
		case e.to:
			in++
		case e.from:
			out++
		}
	}
	if in > 0 {
		np.Spec.Ingress = make([]networkingv1.NetworkPolicyIngressRule, 0, in+2) // + published, scrapes
	}
	if out > 0 {
		np.Spec.Egress = make([]networkingv1.NetworkPolicyEgressRule, 0, out+1) // + outside the cluster
	}
	for _, e := range edges {
		switch name {
		case e.to:
			np.Spec.Ingress = append(np.Spec.Ingress, networkingv1.NetworkPolicyIngressRule{From: c.podPeer(e.from), Ports: npPorts(c.edgePorts(e))})
		case e.from:
			np.Spec.Egress = append(np.Spec.Egress, networkingv1.NetworkPolicyEgressRule{To: c.podPeer(e.to), Ports: npPorts(c.edgePorts(e))})
		}
	}
}

// podPeer is the one peer selecting the pods of service, allocated with
// its selector.
func (c *converter) podPeer(service string) []networkingv1.NetworkPolicyPeer {
	b := &struct {
		peer [1]networkingv1.NetworkPolicyPeer
		sel  metav1.LabelSelector
	}{}
	b.sel.MatchLabels = c.selectorLabels(service)
	b.peer[0].PodSelector = &b.sel
	return b.peer[:]
}

// externalEgress allows egress outside the cluster unless x-berth.egress: none.
func (c *converter) externalEgress(s types.ServiceConfig, ext ServiceExt, np *networkingv1.NetworkPolicy) {
	if s.NetworkMode == "none" {
		c.rep.note("network policy: %s has network_mode none: no egress at all", s.Name)
		return
	}
	if strings.EqualFold(ext.Egress, "none") {
		c.rep.mapped(s.Name, "x-berth.egress", "none: NetworkPolicy %s allows no egress outside the cluster", np.Name)
		return
	}
	if nets := c.podNetworksOf(s.Name); !nets.some(func(n string) bool { return !c.p.Networks[n].Internal }) {
		c.rep.note("network policy: %s is only on internal networks (%s): no egress outside the cluster, as in compose", s.Name, strings.Join(nets.names(), ", "))
		return
	}
	np.Spec.Egress = append(np.Spec.Egress, externalEgressRule())
}

// externalEgressRule allows any public address (the Internet, cloud APIs).
// Its peer, block and exceptions are allocated together: every policy has one.
func externalEgressRule() networkingv1.NetworkPolicyEgressRule {
	b := &struct {
		peer   [1]networkingv1.NetworkPolicyPeer
		block  networkingv1.IPBlock
		except [len(privateRanges)]string
	}{except: privateRanges}
	b.block = networkingv1.IPBlock{CIDR: "0.0.0.0/0", Except: b.except[:]}
	b.peer[0].IPBlock = &b.block
	return networkingv1.NetworkPolicyEgressRule{To: b.peer[:]}
}

// edgePorts are the ports an edge may use: those the target serves, else
// those named in the environment values that made the edge, else a known
// database's port, else all.
func (c *converter) edgePorts(e *edge) []svcPort {
	if ports := c.podPorts(e.to); len(ports) > 0 {
		return ports
	}
	var out []svcPort
	for _, p := range e.ports {
		out = append(out, svcPort{port: p, protocol: corev1.ProtocolTCP})
	}
	if spec, ok := dbSpecs[dbEngine(c.p.Services[e.to].Image)]; ok && len(out) == 0 {
		out = append(out, svcPort{port: spec.port, protocol: corev1.ProtocolTCP})
	}
	return out
}

// publishedPorts lists, by pod owner, the container ports of the pod that
// compose publishes, but for those it publishes on loopback only: compose
// keeps them to the host, and `berth up` forwards them through the API
// server into the pod, which no NetworkPolicy sees; opening them to
// "anywhere" would open them to every pod of the cluster.
func (c *converter) publishedPorts() map[string][]svcPort {
	out := make(map[string][]svcPort, len(c.b.Ports))
	type ownerPort struct {
		owner    string
		port     int32
		protocol string // 53/TCP and 53/UDP are two ports
	}
	seen := make(map[ownerPort]bool, len(c.b.Ports)) // one set, not one per owner
	for _, p := range c.b.Ports {
		if loopbackOnly(p) {
			continue
		}
		owner := c.ownerOf(p.Service)
		key := ownerPort{owner, p.ContainerPort, p.Protocol}
		if seen[key] {
			continue
		}
		seen[key] = true
		out[owner] = append(out[owner], svcPort{port: p.ContainerPort, protocol: corev1.Protocol(p.Protocol)})
	}
	return out
}

// publishedPeers are the sources allowed to reach published ports: anyone.
// A load balancer keeps the client's address (or the node's), and the
// ingress controller's namespace is not knowable from compose; narrowing to
// it needs an environment knob naming it.
func (c *converter) publishedPeers() []networkingv1.NetworkPolicyPeer { return nil }

// npPorts converts ports to policy ports; the port numbers and protocols
// they point to are allocated together, not two per port.
func npPorts(ports []svcPort) []networkingv1.NetworkPolicyPort {
	if len(ports) == 0 {
		return nil
	}
	out := make([]networkingv1.NetworkPolicyPort, len(ports))
	vals := make([]struct {
		port  intstr.IntOrString
		proto corev1.Protocol
	}, len(ports))
	for i, p := range ports {
		v := &vals[i]
		v.port, v.proto = intstr.FromInt32(p.port), p.protocol
		if v.proto == "" {
			v.proto = corev1.ProtocolTCP
		}
		out[i] = networkingv1.NetworkPolicyPort{Port: &v.port, Protocol: &v.proto}
	}
	return out
}

func npPort(port int32, proto corev1.Protocol) networkingv1.NetworkPolicyPort {
	pp := intstr.FromInt32(port)
	pr := proto
	if pr == "" {
		pr = corev1.ProtocolTCP
	}
	return networkingv1.NetworkPolicyPort{Port: &pp, Protocol: &pr}
}
