package convert

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// podTemplate builds the pod of a service: its container, the containers of
// services that share its network namespace, init containers for depends_on,
// and volumes. StatefulSets get volume claim templates instead of PVCs.
func (c *converter) podTemplate(s types.ServiceConfig, ext ServiceExt, kind string) (corev1.PodTemplateSpec, []corev1.PersistentVolumeClaim, error) {
	vols := newPodVolumes()
	main, err := c.container(s, vols, kind)
	if err != nil {
		return corev1.PodTemplateSpec{}, nil, err
	}
	spec := corev1.PodSpec{Containers: []corev1.Container{main}}
	for _, guest := range c.podGuests(s.Name) {
		gc, err := c.container(c.p.Services[guest], vols, kind)
		if err != nil {
			return corev1.PodTemplateSpec{}, nil, err
		}
		spec.Containers = append(spec.Containers, gc)
	}
	spec.InitContainers = c.waitContainers(s)
	spec.Volumes = vols.list()
	spec.Affinity = c.volumeAffinity(s.Name)
	c.podSettings(s, &spec)
	meta := metav1.ObjectMeta{
		Labels:      c.selectorLabels(s.Name),
		Annotations: map[string]string{AnnotationService: s.Name},
	}
	c.podLabels(s, &meta)
	return corev1.PodTemplateSpec{ObjectMeta: meta, Spec: spec}, vols.claimTemplates, nil
}

// podGuests lists the services that run inside s's pod (network_mode:
// service:s), sorted; callers must not modify the slice.
func (c *converter) podGuests(owner string) []string {
	return c.guests[owner]
}

// guestsByOwner inverts podOwner once: a dozen steps ask each owner for its
// guests, and scanning every guest for each was quadratic.
func guestsByOwner(podOwner map[string]string) map[string][]string {
	out := make(map[string][]string, len(podOwner))
	for g, o := range podOwner {
		out[o] = append(out[o], g)
	}
	for _, guests := range out {
		slices.Sort(guests)
	}
	return out
}

// podOwners maps each service with `network_mode: service:X` to the service
// whose pod it joins, following chains (a→b→c all join c).
func podOwners(p *types.Project) map[string]string {
	direct := map[string]string{}
	for name := range p.Services {
		if target, ok := strings.CutPrefix(p.Services[name].NetworkMode, types.NetworkModeServicePrefix); ok {
			if _, exists := p.Services[target]; exists {
				direct[name] = target
			}
		}
	}
	owners := map[string]string{}
	for name := range direct {
		cur, steps := name, 0
		for next, ok := direct[cur]; ok && steps <= len(direct); next, ok = direct[cur] {
			cur = next
			steps++
		}
		if cur != name && steps <= len(direct) {
			owners[name] = cur
		}
	}
	return owners
}

// podSettings maps pod-level compose keys.
func (c *converter) podSettings(s types.ServiceConfig, spec *corev1.PodSpec) {
	if s.Hostname != "" {
		spec.Hostname = DNSName(s.Hostname)
		c.rep.mapped(s.Name, "hostname", "pod hostname")
	}
	if s.DomainName != "" {
		spec.Subdomain = DNSName(s.DomainName)
		c.rep.approx(s.Name, "domainname", "pod subdomain")
	}
	if s.StopGracePeriod != nil {
		secs := int64((time.Duration(*s.StopGracePeriod) + 999_999_999) / 1_000_000_000)
		spec.TerminationGracePeriodSeconds = &secs
		c.rep.mapped(s.Name, "stop_grace_period", "terminationGracePeriodSeconds: %d", secs)
	}
	c.hostAliases(s, spec)
	c.sysctls(s, spec)
	c.restartPolicy(s)
	if s.ShmSize > 0 {
		c.rep.mapped(s.Name, "shm_size", "emptyDir (Memory) at /dev/shm")
	}
	if len(s.DNS) > 0 || len(s.DNSSearch) > 0 || len(s.DNSOpts) > 0 {
		servers := s.DNS
		if len(servers) > maxNameservers {
			servers = servers[:maxNameservers]
		}
		spec.DNSConfig = &corev1.PodDNSConfig{Nameservers: servers, Searches: s.DNSSearch}
		for _, o := range s.DNSOpts {
			name, val, hasVal := strings.Cut(o, ":")
			opt := corev1.PodDNSConfigOption{Name: name}
			if hasVal {
				opt.Value = &val
			}
			spec.DNSConfig.Options = append(spec.DNSConfig.Options, opt)
		}
		switch {
		case len(s.DNS) > maxNameservers:
			c.rep.approx(s.Name, "dns", "pod dnsConfig (added to the cluster DNS), the first %d nameservers only: Kubernetes takes no more", maxNameservers)
		case len(s.DNS) > 0:
			c.rep.mapped(s.Name, "dns", "pod dnsConfig (added to the cluster DNS)")
		}
	}
}

// maxNameservers is the most a pod's dnsConfig may list (the API server
// refuses the workload otherwise), as in resolv.conf.
const maxNameservers = 3

func (c *converter) hostAliases(s types.ServiceConfig, spec *corev1.PodSpec) {
	if len(s.ExtraHosts) == 0 {
		return
	}
	byIP := map[string][]string{}
	skipped := 0
	for host, ips := range s.ExtraHosts {
		for _, ip := range ips {
			if ip == "host-gateway" {
				skipped++
				continue
			}
			byIP[ip] = append(byIP[ip], host)
		}
	}
	ips := make([]string, 0, len(byIP))
	for ip := range byIP {
		ips = append(ips, ip)
	}
	sort.Strings(ips)
	for _, ip := range ips {
		hosts := byIP[ip]
		sort.Strings(hosts)
		spec.HostAliases = append(spec.HostAliases, corev1.HostAlias{IP: ip, Hostnames: hosts})
	}
	if skipped > 0 {
		c.rep.approx(s.Name, "extra_hosts", "hostAliases; host-gateway has no equivalent in a cluster and was left out")
		return
	}
	c.rep.mapped(s.Name, "extra_hosts", "hostAliases")
}

// unsafeSysctlPrefixes are the namespaced sysctls Kubernetes allows by default.
var safeSysctls = map[string]bool{
	"kernel.shm_rmid_forced": true, "net.ipv4.ip_local_port_range": true,
	"net.ipv4.tcp_syncookies": true, "net.ipv4.ping_group_range": true,
	"net.ipv4.ip_unprivileged_port_start": true, "net.ipv4.ip_local_reserved_ports": true,
	"net.ipv4.tcp_keepalive_time": true, "net.ipv4.tcp_fin_timeout": true,
	"net.ipv4.tcp_keepalive_intvl": true, "net.ipv4.tcp_keepalive_probes": true,
}

func (c *converter) sysctls(s types.ServiceConfig, spec *corev1.PodSpec) {
	if len(s.Sysctls) == 0 {
		return
	}
	keys := sortedKeys(s.Sysctls)
	var unsafe []string
	spec.SecurityContext = &corev1.PodSecurityContext{}
	for _, k := range keys {
		spec.SecurityContext.Sysctls = append(spec.SecurityContext.Sysctls, corev1.Sysctl{Name: k, Value: s.Sysctls[k]})
		if !safeSysctls[k] {
			unsafe = append(unsafe, k)
		}
	}
	if len(unsafe) > 0 {
		c.rep.approx(s.Name, "sysctls", "pod securityContext.sysctls; %s must be allowed on the kubelet (--allowed-unsafe-sysctls)", strings.Join(unsafe, ", "))
		return
	}
	c.rep.mapped(s.Name, "sysctls", "pod securityContext.sysctls")
}

// restartPolicy reports how compose's restart maps: pods of controllers always
// restart, so "no" and "on-failure" are approximations (never a bare Pod).
func (c *converter) restartPolicy(s types.ServiceConfig) {
	switch s.Restart {
	case "":
	case types.RestartPolicyAlways, types.RestartPolicyUnlessStopped:
		c.rep.mapped(s.Name, "restart", "controller restarts the pod")
	default:
		if c.completedDeps[s.Name] {
			c.rep.mapped(s.Name, "restart", "Job restartPolicy")
			return
		}
		c.rep.approx(s.Name, "restart", "%q: a Deployment always restarts its pods (no bare Pods); use x-berth.kind: job for a one-shot task", s.Restart)
	}
	if s.Deploy != nil && s.Deploy.RestartPolicy != nil {
		c.rep.approx(s.Name, "deploy.restart_policy", "the controller restarts pods; delay and window have no equivalent")
	}
}

// podLabels copies compose labels to the pod template as annotations (label
// values in compose need not be valid Kubernetes label values). A key that
// is no valid annotation key (the API server would refuse the workload), or
// that berth sets itself, is left out and reported.
func (c *converter) podLabels(s types.ServiceConfig, meta *metav1.ObjectMeta) {
	if len(s.Labels) == 0 {
		return
	}
	var left []string
	for k, v := range s.Labels {
		switch _, berths := meta.Annotations[k]; {
		case strings.HasPrefix(k, "kompose."):
		case berths || len(validation.IsQualifiedName(k)) > 0:
			left = append(left, strconv.Quote(k))
		default:
			meta.Annotations[k] = v
		}
	}
	if len(left) == 0 {
		c.rep.approx(s.Name, "labels", "pod annotations (compose label values need not be valid Kubernetes labels)")
		return
	}
	slices.Sort(left)
	c.rep.approx(s.Name, "labels", "pod annotations (compose label values need not be valid Kubernetes labels), but for %s: not valid annotation keys, or set by berth", strings.Join(left, ", "))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
