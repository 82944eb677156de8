package convert

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// DefaultGateway is the parent Gateway of HTTPRoutes when the environment names none.
const DefaultGateway = "public"

// exposePorts makes published ports reachable from outside the cluster the
// way the environment says: nothing for port-forward (`berth up` forwards the
// compose numbers), Ingress or HTTPRoute for HTTP, and a LoadBalancer (or
// NodePort) Service named <service>-public for the rest.
func (c *converter) exposePorts(env Environment) {
	if env.Expose == ExposePortForward {
		if len(c.b.Ports) > 0 {
			c.rep.note("environment %s: published ports are reached through `berth up` port-forwards on the compose numbers; no load balancer", env.Name)
		}
		return
	}
	byService := map[string][]PublishedPort{}
	for _, p := range c.publicPorts(env) {
		byService[c.ownerOf(p.Service)] = append(byService[c.ownerOf(p.Service)], p)
	}
	for _, svc := range sortedKeys(byService) {
		http, other := c.splitHTTP(env, byService[svc])
		c.exposeHTTP(env, svc, http)
		c.exposeOther(env, svc, other)
	}
}

// splitHTTP separates the ports an Ingress or HTTPRoute serves from those a
// LoadBalancer (or NodePort) Service does, saying why a TLS-looking port is
// not routed as HTTP.
func (c *converter) splitHTTP(env Environment, ports []PublishedPort) (http, other []PublishedPort) {
	routed := env.Expose == ExposeIngress || env.Expose == ExposeGateway
	for _, p := range ports {
		switch {
		case p.HTTP && routed:
			http = append(http, p)
			continue
		case p.TLS != "" && routed:
			c.rep.note("environment %s: %s port %d looks like TLS (%s): an Ingress or HTTPRoute would send it plain HTTP, so it gets the LoadBalancer Service, which passes TLS through (x-berth: {expose: http} makes it HTTP)", env.Name, p.Service, p.HostPort, p.TLS)
		}
		other = append(other, p)
	}
	return http, other
}

// loopbackOnly tells a port compose publishes on the host's loopback only:
// never meant to be reached from elsewhere.
func loopbackOnly(p PublishedPort) bool {
	return p.HostIP == "127.0.0.1" || p.HostIP == "::1" || p.HostIP == "localhost"
}

// publicPorts drops published ports compose bound to loopback (they were
// never meant to be public) and duplicates of one port on several host IPs.
func (c *converter) publicPorts(env Environment) []PublishedPort {
	var out []PublishedPort
	seen := map[string]bool{}
	for _, p := range c.b.Ports {
		if loopbackOnly(p) {
			c.rep.note("environment %s: %s port %d is bound to %s in compose, so it is not exposed outside the cluster", env.Name, p.Service, p.HostPort, p.HostIP)
			continue
		}
		key := fmt.Sprintf("%s/%d/%s", c.ownerOf(p.Service), p.HostPort, p.Protocol)
		if !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}

// hostName is the external host name of one HTTP port of a service.
func (c *converter) hostName(env Environment, service string, i int, p PublishedPort) string {
	if h, ok := env.Hosts[service]; ok && i == 0 {
		return h
	}
	label := DNSName(service)
	if i > 0 {
		label = fmt.Sprintf("%s-%d", label, p.HostPort)
	}
	return label + "." + strings.TrimPrefix(env.Domain, ".")
}

func (c *converter) exposeHTTP(env Environment, service string, ports []PublishedPort) {
	if len(ports) == 0 {
		return
	}
	hosts := make([]string, len(ports))
	for i, p := range ports {
		hosts[i] = c.hostName(env, service, i, p)
	}
	if env.Expose == ExposeGateway {
		for i, p := range ports {
			name := DNSName(service)
			if i > 0 {
				name = childName(name, fmt.Sprint(p.HostPort))
			}
			c.add(c.httpRoute(env, service, name, hosts[i], p))
		}
		gw := env.Gateway
		if gw == "" {
			gw = DefaultGateway
		}
		c.rep.note("environment %s: %s is served on %s through an HTTPRoute of Gateway %s: the cluster needs the Gateway API CRDs and a Gateway with TLS for these hosts", env.Name, service, strings.Join(hosts, ", "), gw)
		return
	}
	c.add(c.ingress(env, service, hosts, ports))
	tls := strings.ReplaceAll(env.TLSSecret, "{service}", DNSName(service))
	c.rep.note("environment %s: %s is served on %s through an Ingress (TLS Secret %q): the cluster needs an ingress controller, and the Secret (cert-manager can issue it)", env.Name, service, strings.Join(hosts, ", "), tls)
}

func (c *converter) ingress(env Environment, service string, hosts []string, ports []PublishedPort) Object {
	ing := &networkingv1.Ingress{ObjectMeta: c.meta(DNSName(service), service)}
	if env.IngressClass != "" {
		class := env.IngressClass
		ing.Spec.IngressClassName = &class
	}
	prefix := networkingv1.PathTypePrefix
	for i, p := range ports {
		ing.Spec.Rules = append(ing.Spec.Rules, networkingv1.IngressRule{
			Host: hosts[i],
			IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{
				Paths: []networkingv1.HTTPIngressPath{{Path: "/", PathType: &prefix, Backend: networkingv1.IngressBackend{
					Service: &networkingv1.IngressServiceBackend{Name: DNSName(service), Port: networkingv1.ServiceBackendPort{Number: p.ContainerPort}},
				}}},
			}},
		})
	}
	if env.TLSSecret != "" {
		ing.Spec.TLS = []networkingv1.IngressTLS{{Hosts: hosts, SecretName: strings.ReplaceAll(env.TLSSecret, "{service}", DNSName(service))}}
	}
	return typeMeta(ing, "networking.k8s.io", "v1", "Ingress")
}

// httpRoute builds a Gateway API HTTPRoute for one port (unstructured: berth
// does not depend on the Gateway API module).
func (c *converter) httpRoute(env Environment, service, name, host string, p PublishedPort) Object {
	gwNS, gwName := c.namespace, env.Gateway
	if ns, n, ok := strings.Cut(env.Gateway, "/"); ok {
		gwNS, gwName = ns, n
	}
	if gwName == "" {
		gwName = DefaultGateway
	}
	m := c.meta(name, service)
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "HTTPRoute",
		"spec": map[string]any{
			"parentRefs": []any{map[string]any{"name": gwName, "namespace": gwNS}},
			"hostnames":  []any{host},
			"rules": []any{map[string]any{
				"backendRefs": []any{map[string]any{"name": DNSName(service), "port": int64(p.ContainerPort)}},
			}},
		},
	}}
	u.SetName(m.Name)
	u.SetNamespace(m.Namespace)
	u.SetLabels(m.Labels)
	u.SetAnnotations(m.Annotations)
	return u
}

// exposeOther gives a service's non-HTTP published ports one Service
// <service>-public of type LoadBalancer (or NodePort), listening on the
// published numbers and sending to the container ports.
func (c *converter) exposeOther(env Environment, service string, ports []PublishedPort) {
	if len(ports) == 0 {
		return
	}
	typ := corev1.ServiceTypeLoadBalancer
	if env.Expose == ExposeNodePort {
		typ = corev1.ServiceTypeNodePort
	}
	name := childName(DNSName(service), "public")
	svc := &corev1.Service{ObjectMeta: c.meta(name, service), Spec: corev1.ServiceSpec{
		Type: typ, Selector: c.selectorLabels(service),
	}}
	sort.SliceStable(ports, func(i, j int) bool { return ports[i].HostPort < ports[j].HostPort })
	var numbers []string
	for _, p := range ports {
		svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{
			Name:       fmt.Sprintf("%s-%d", strings.ToLower(p.Protocol), p.HostPort),
			Port:       p.HostPort,
			TargetPort: intstr.FromInt32(p.ContainerPort),
			Protocol:   corev1.Protocol(p.Protocol),
		})
		numbers = append(numbers, fmt.Sprintf("%d/%s", p.HostPort, strings.ToLower(p.Protocol)))
	}
	c.add(typeMeta(svc, "", "v1", "Service"))
	need := "a load balancer implementation (a cloud provider, MetalLB, ...)"
	if typ == corev1.ServiceTypeNodePort {
		need = "nodes reachable from clients (ports are allocated in 30000-32767)"
	}
	c.rep.note("environment %s: %s exposes %s through Service %s of type %s: the cluster needs %s", env.Name, service, strings.Join(numbers, ", "), name, typ, need)
}
