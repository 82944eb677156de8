package convert

import (
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// dangerousCaps are dropped from containers whose user may be root (the image
// decides): Docker grants them by default, but no ordinary service needs
// them. CHOWN, SETUID, SETGID, FOWNER and DAC_OVERRIDE stay, because images
// like postgres start as root and step down to their own user.
var dangerousCaps = [...]corev1.Capability{"NET_RAW", "MKNOD", "AUDIT_WRITE", "SETFCAP"}

// nobody is the uid the wait init containers run as.
const nobody = int64(65534)

// harden applies berth's default security settings to every pod, in every
// environment, then adds disruption budgets and autoscalers.
func (c *converter) harden(env Environment) {
	services := make(map[string]string, len(c.p.Services)) // container name → compose service
	for name := range c.p.Services {
		services[DNSName(name)] = name
	}
	hardened := make(map[string]bool, len(c.p.Services))
	for _, o := range c.b.Objects {
		pt := podTemplateOf(o)
		if pt == nil {
			continue
		}
		seccomp(&pt.Spec)
		c.fsGroup(o, pt)
		for i := range pt.Spec.Containers {
			ct := &pt.Spec.Containers[i]
			if name, ok := services[ct.Name]; ok && !hardened[name] {
				hardened[name] = true
				c.hardenService(c.p.Services[name], ct)
				continue
			}
			c.hardenContainer(ct)
		}
		for i := range pt.Spec.InitContainers {
			c.hardenInit(&pt.Spec.InitContainers[i])
		}
	}
	c.disruptionBudgets()
	c.autoscalers(env)
}

func seccomp(spec *corev1.PodSpec) {
	if spec.SecurityContext == nil {
		// the usual case: the context and its profile in one allocation
		b := &struct {
			sc      corev1.PodSecurityContext
			profile corev1.SeccompProfile
		}{profile: corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}}
		b.sc.SeccompProfile = &b.profile
		spec.SecurityContext = &b.sc
		return
	}
	if spec.SecurityContext.SeccompProfile == nil {
		spec.SecurityContext.SeccompProfile = &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}
	}
}

// fsGroup lets a service that runs as a known non-root user write to its
// volumes: a fresh PersistentVolume belongs to root, where a Docker volume
// would have taken the image's ownership.
func (c *converter) fsGroup(o Object, pt *corev1.PodTemplateSpec) {
	if !hasPersistentVolume(o, pt) {
		return // before copying the service out of the project: most pods have none
	}
	s, ok := c.p.Services[pt.Annotations[AnnotationService]]
	if !ok {
		return
	}
	user := c.userOf(s)
	if !knownNonRoot(user.spec) {
		return
	}
	u, g, _ := strings.Cut(user.spec, ":")
	id, ok := uid(g)
	if !ok || id <= 0 {
		id, _ = uid(u)
	}
	pt.Spec.SecurityContext.FSGroup = &id
	c.rep.note("hardening %s: fsGroup %d so that uid %s can write to its volumes", s.Name, id, user.spec)
}

func hasPersistentVolume(o Object, pt *corev1.PodTemplateSpec) bool {
	if st, ok := o.(*appsv1.StatefulSet); ok && len(st.Spec.VolumeClaimTemplates) > 0 {
		return true
	}
	for _, v := range pt.Spec.Volumes {
		if v.PersistentVolumeClaim != nil {
			return true
		}
	}
	return false
}

// securityOpts maps the security_opt entries Kubernetes has a field for.
// no-new-privileges is what berth's hardening sets anyway; a named seccomp
// or AppArmor profile would have to be installed on the nodes.
func (c *converter) securityOpts(s types.ServiceConfig, sc *corev1.SecurityContext) {
	var done, left []string
	for _, opt := range s.SecurityOpt {
		o := strings.ReplaceAll(opt, "=", ":")
		switch {
		case o == "seccomp:unconfined":
			sc.SeccompProfile = &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeUnconfined}
			done = append(done, "seccompProfile Unconfined")
		case o == "apparmor:unconfined":
			sc.AppArmorProfile = &corev1.AppArmorProfile{Type: corev1.AppArmorProfileTypeUnconfined}
			done = append(done, "appArmorProfile Unconfined")
		case (o == "no-new-privileges" || o == "no-new-privileges:true") && (escalates(sc) || s.Privileged):
			left = append(left, strconv.Quote(opt)+" (refused with privileged or SYS_ADMIN)")
		case o == "no-new-privileges" || o == "no-new-privileges:true":
			done = append(done, "allowPrivilegeEscalation false")
		case strings.HasPrefix(o, "seccomp:") || strings.HasPrefix(o, "apparmor:"):
			left = append(left, strconv.Quote(opt)+" (the profile would have to be installed on every node)")
		case strings.HasPrefix(o, "label:"):
			left = append(left, strconv.Quote(opt)+" (set seLinuxOptions in the cluster)")
		default:
			left = append(left, strconv.Quote(opt)+" (no Kubernetes equivalent)")
		}
	}
	if len(left) > 0 {
		c.rep.approx(s.Name, "security_opt", "%s; left out: %s", orNone(done), strings.Join(left, ", "))
		return
	}
	c.rep.mapped(s.Name, "security_opt", "%s for this container", strings.Join(done, ", "))
}

// escalates tells a container whose added capabilities imply privilege
// escalation (the API server refuses allowPrivilegeEscalation false then).
func escalates(sc *corev1.SecurityContext) bool {
	return sc.Capabilities != nil && (slices.Contains(sc.Capabilities.Add, "SYS_ADMIN") || slices.Contains(sc.Capabilities.Add, "ALL"))
}

func orNone(done []string) string {
	if len(done) == 0 {
		return "nothing mapped"
	}
	return strings.Join(done, ", ")
}

// hardenService hardens the container of a compose service, keeping what
// compose asks for (privileged, cap_add, security_opt) working.
func (c *converter) hardenService(s types.ServiceConfig, ct *corev1.Container) {
	// what hardening adds to most containers, allocated at once
	b := &struct {
		sc      corev1.SecurityContext
		caps    corev1.Capabilities
		drop    [len(dangerousCaps)]corev1.Capability
		no, yes bool
	}{yes: true}
	sc := ct.SecurityContext
	if sc == nil {
		sc = &b.sc
		ct.SecurityContext = sc
	}
	if s.Privileged {
		c.rep.note("hardening %s: privileged is kept: the container runs privileged, so berth's hardening (capabilities, no privilege escalation) does not apply; it needs a namespace whose Pod Security level is privileged", s.Name)
		return
	}
	if sc.Capabilities == nil {
		sc.Capabilities = &b.caps
	}
	caps := sc.Capabilities
	if !escalates(sc) {
		sc.AllowPrivilegeEscalation = &b.no
	}
	if user := c.userOf(s); knownNonRoot(user.spec) {
		sc.RunAsNonRoot = &b.yes
		runAsImageUser(sc, user)
		caps.Drop = []corev1.Capability{"ALL"}
		c.rep.note("hardening %s: runs as uid %s (non-root, %s): all capabilities dropped%s", s.Name, user.spec, user.from, addedNote(caps.Add))
		return
	}
	c.noteImageUser(s)
	if !slices.Contains(caps.Drop, "ALL") {
		if caps.Drop == nil {
			caps.Drop = b.drop[:0]
		}
		for _, d := range dangerousCaps {
			if !slices.Contains(caps.Add, d) && !slices.Contains(caps.Drop, d) {
				caps.Drop = append(caps.Drop, d)
			}
		}
		if len(caps.Drop) == 0 {
			caps.Drop = nil // as it was: nothing appended
		}
	}
}

func addedNote(add []corev1.Capability) string {
	if len(add) == 0 {
		return ""
	}
	var names []string
	for _, a := range add {
		names = append(names, string(a))
	}
	return " but " + strings.Join(names, ", ") + " (cap_add)"
}

// hardenContainer hardens a container berth added (sidecars, backup jobs):
// its user is the image's, so only the dangerous capabilities go.
func (c *converter) hardenContainer(ct *corev1.Container) {
	if ct.SecurityContext == nil {
		ct.SecurityContext = &corev1.SecurityContext{}
	}
	sc := ct.SecurityContext
	if sc.Privileged != nil && *sc.Privileged {
		return
	}
	if sc.Capabilities == nil {
		sc.Capabilities = &corev1.Capabilities{Drop: append([]corev1.Capability(nil), dangerousCaps[:]...)}
	}
	if sc.AllowPrivilegeEscalation == nil && !slices.Contains(sc.Capabilities.Add, "SYS_ADMIN") {
		no := false
		sc.AllowPrivilegeEscalation = &no
	}
}

// hardenInit runs the depends_on wait containers as nobody with no
// capabilities (they only resolve names and open sockets).
func (c *converter) hardenInit(ct *corev1.Container) {
	if !strings.HasPrefix(ct.Name, "wait-") || ct.Image != c.opts.WaitImage {
		c.hardenContainer(ct)
		return
	}
	// One allocation holds the context and what it points to (there is a
	// wait container per dependency).
	b := &struct {
		sc      corev1.SecurityContext
		caps    corev1.Capabilities
		drop    [1]corev1.Capability
		yes, no bool
		uid     int64
	}{drop: [1]corev1.Capability{"ALL"}, yes: true, uid: nobody}
	b.caps.Drop = b.drop[:]
	b.sc = corev1.SecurityContext{RunAsNonRoot: &b.yes, RunAsUser: &b.uid, AllowPrivilegeEscalation: &b.no, Capabilities: &b.caps}
	ct.SecurityContext = &b.sc
}
