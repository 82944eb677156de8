package convert

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// container builds the main container of a service.
func (c *converter) container(s types.ServiceConfig, vols *podVolumes, kind string) (corev1.Container, error) {
	ct := corev1.Container{
		Name:       DNSName(s.Name),
		Image:      c.image(s),
		Command:    noExpansion(s.Entrypoint),
		Args:       noExpansion(s.Command),
		WorkingDir: s.WorkingDir,
		TTY:        s.Tty,
		Stdin:      s.StdinOpen,
	}
	if clearsEntrypoint(s) && len(s.Command) > 0 {
		// Kubernetes reads an empty command as "the image's"; the compose
		// command run as the command is what `entrypoint: []` means.
		ct.Command, ct.Args = noExpansion(s.Command), nil
	}
	if s.Build != nil {
		ct.ImagePullPolicy = corev1.PullIfNotPresent
	}
	c.reportCommand(s)
	env, err := c.env(s)
	if err != nil {
		return ct, err
	}
	ct.Env = env
	ct.Ports = containerPorts(c.portsOfService(s.Name))
	c.probes(s, &ct)
	c.resources(s, &ct)
	c.securityContext(s, &ct)
	mounts, err := c.mounts(s, vols, kind)
	if err != nil {
		return ct, err
	}
	ct.VolumeMounts = mounts
	c.lifecycle(s, &ct)
	return ct, nil
}

// image returns the image reference of a service; services with `build:` are
// tagged like compose does (<project>-<service>) unless they name an image.
func (c *converter) image(s types.ServiceConfig) string {
	if s.Build == nil {
		return s.Image
	}
	tag := c.opts.ImageTag
	if t, ok := c.opts.ImageTags[s.Name]; ok {
		tag = t
	}
	name := s.Image
	if name == "" {
		name = c.project + "-" + DNSName(s.Name)
	}
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name = name[:i]
	}
	img := name + ":" + tag
	c.b.Images = append(c.b.Images, ImageBuild{
		Service: s.Name, Image: img, Context: s.Build.Context, Dockerfile: s.Build.Dockerfile,
		Target: s.Build.Target, Args: resolvedMapping(s.Build.Args),
	})
	c.rep.mapped(s.Name, "build", "image %s, built and loaded by `berth up` from %s", img, c.relPath(s.Build.Context))
	return img
}

func resolvedMapping(m types.MappingWithEquals) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if v != nil {
			out[k] = *v
		}
	}
	return out
}

// noExpansion escapes "$(" in a command or its args (escapeExpansion).
func noExpansion(words []string) []string {
	if !slices.ContainsFunc(words, func(w string) bool { return strings.Contains(w, "$(") }) {
		return words // most commands: no copy
	}
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = escapeExpansion(w)
	}
	return out
}

// escapeExpansion writes "$(" as "$$(": Kubernetes replaces $(VAR) in env
// values, commands and args with the container's variable VAR, where
// compose passes the text on (for a shell's command substitution, say).
func escapeExpansion(s string) string { return strings.ReplaceAll(s, "$(", "$$(") }

// clearsEntrypoint tells `entrypoint: []` (or "") from no entrypoint.
func clearsEntrypoint(s types.ServiceConfig) bool {
	return s.Entrypoint != nil && len(s.Entrypoint) == 0
}

func (c *converter) reportCommand(s types.ServiceConfig) {
	switch {
	case len(s.Entrypoint) > 0:
		c.rep.mapped(s.Name, "entrypoint", "container command")
	case clearsEntrypoint(s) && len(s.Command) > 0:
		c.rep.mapped(s.Name, "entrypoint", "empty: the container command is the compose command, so the image's ENTRYPOINT does not run")
	case clearsEntrypoint(s):
		c.rep.approx(s.Name, "entrypoint", "empty, with no command: Kubernetes cannot clear the image's ENTRYPOINT without a command to run instead, so it still runs")
	}
	switch {
	case len(s.Command) > 0:
		c.rep.mapped(s.Name, "command", "container args")
	case s.Command != nil && len(s.Entrypoint) > 0:
		c.rep.mapped(s.Name, "command", "empty: the container command runs without args")
	case s.Command != nil:
		c.rep.approx(s.Name, "command", "empty: Kubernetes cannot clear the image's CMD without a command, so it still runs")
	}
	if s.WorkingDir != "" {
		c.rep.mapped(s.Name, "working_dir", "container workingDir")
	}
	if s.Tty || s.StdinOpen {
		c.rep.mapped(s.Name, "tty", "container tty/stdin")
	}
}

// containerPorts lists each distinct container port the service publishes
// or exposes (its portsOfService).
func containerPorts(ports []svcPort) []corev1.ContainerPort {
	var out []corev1.ContainerPort
	for _, p := range ports { // distinct already
		out = append(out, corev1.ContainerPort{Name: p.name, ContainerPort: p.port, Protocol: p.protocol})
	}
	return out
}

// resources maps deploy.resources (and the legacy mem_limit/cpus keys).
func (c *converter) resources(s types.ServiceConfig, ct *corev1.Container) {
	limits, requests := corev1.ResourceList{}, corev1.ResourceList{}
	if s.Deploy != nil {
		addResource(limits, s.Deploy.Resources.Limits)
		addResource(requests, s.Deploy.Resources.Reservations)
		if bad := negativeCPUs(s.Deploy.Resources); bad != "" {
			c.rep.approx(s.Name, "deploy.resources", "container resources (limits and requests), without %s: below zero is no CPU amount", bad)
		} else if s.Deploy.Resources.Limits != nil || s.Deploy.Resources.Reservations != nil {
			c.rep.mapped(s.Name, "deploy.resources", "container resources (limits and requests)")
		}
	}
	if s.MemLimit > 0 {
		limits[corev1.ResourceMemory] = *resource.NewQuantity(int64(s.MemLimit), resource.BinarySI)
		c.rep.mapped(s.Name, "mem_limit", "memory limit")
	}
	if s.MemReservation > 0 {
		requests[corev1.ResourceMemory] = *resource.NewQuantity(int64(s.MemReservation), resource.BinarySI)
		c.rep.mapped(s.Name, "mem_reservation", "memory request")
	}
	if s.CPUS > 0 {
		limits[corev1.ResourceCPU] = *resource.NewMilliQuantity(int64(s.CPUS*1000), resource.DecimalSI)
		c.rep.mapped(s.Name, "cpus", "cpu limit")
	}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := requests[name]
		if limit, ok := limits[name]; ok && hasReq && req.Cmp(limit) > 0 {
			// the API server refuses a request above its limit (docker does too)
			c.rep.note("resources %s: %s reservation %s is above its limit %s: the request is the limit", s.Name, name, req.String(), limit.String())
			requests[name] = limit
		}
	}
	if len(limits) > 0 {
		ct.Resources.Limits = limits
	}
	if len(requests) > 0 {
		ct.Resources.Requests = requests
	}
}

// negativeCPUs names the cpus that compose-go lets through below zero
// (docker refuses them at run time), which addResource leaves out.
func negativeCPUs(r types.Resources) string {
	var bad []string
	if r.Limits != nil && r.Limits.NanoCPUs < 0 {
		bad = append(bad, fmt.Sprintf("limits.cpus %g", float32(r.Limits.NanoCPUs)))
	}
	if r.Reservations != nil && r.Reservations.NanoCPUs < 0 {
		bad = append(bad, fmt.Sprintf("reservations.cpus %g", float32(r.Reservations.NanoCPUs)))
	}
	return strings.Join(bad, " and ")
}

func addResource(list corev1.ResourceList, r *types.Resource) {
	if r == nil {
		return
	}
	if r.NanoCPUs > 0 {
		list[corev1.ResourceCPU] = *resource.NewMilliQuantity(int64(float64(r.NanoCPUs)*1000), resource.DecimalSI)
	}
	if r.MemoryBytes > 0 {
		list[corev1.ResourceMemory] = *resource.NewQuantity(int64(r.MemoryBytes), resource.BinarySI)
	}
}

// securityContext maps user, capabilities, privileged and read_only.
func (c *converter) securityContext(s types.ServiceConfig, ct *corev1.Container) {
	sc := &corev1.SecurityContext{}
	set := false
	if s.User != "" {
		set = c.user(s, sc) || set
	}
	if len(s.CapAdd) > 0 || len(s.CapDrop) > 0 {
		sc.Capabilities = &corev1.Capabilities{Add: capabilities(s.CapAdd), Drop: capabilities(s.CapDrop)}
		c.rep.mapped(s.Name, "cap_add", "securityContext.capabilities")
		set = true
	}
	if s.Privileged {
		t := true
		sc.Privileged = &t
		c.rep.mapped(s.Name, "privileged", "securityContext.privileged")
		set = true
	}
	if s.ReadOnly {
		t := true
		sc.ReadOnlyRootFilesystem = &t
		c.rep.mapped(s.Name, "read_only", "securityContext.readOnlyRootFilesystem")
		set = true
	}
	if len(s.SecurityOpt) > 0 {
		c.securityOpts(s, sc)
		set = true
	}
	if set {
		ct.SecurityContext = sc
	}
}

// user maps `user: uid[:gid]`; names cannot be resolved without the image.
func (c *converter) user(s types.ServiceConfig, sc *corev1.SecurityContext) bool {
	u, g, _ := strings.Cut(s.User, ":")
	uid, err := strconv.ParseInt(u, 10, 64)
	if err != nil {
		c.rep.dropped(s.Name, "user", "%q is a name; Kubernetes needs a numeric uid (runAsUser)", s.User)
		return false
	}
	sc.RunAsUser = &uid
	if gid, err := strconv.ParseInt(g, 10, 64); err == nil {
		sc.RunAsGroup = &gid
	}
	c.rep.mapped(s.Name, "user", "securityContext.runAsUser")
	return true
}

func capabilities(caps []string) []corev1.Capability {
	var out []corev1.Capability
	for _, cp := range caps {
		out = append(out, corev1.Capability(strings.TrimPrefix(strings.ToUpper(cp), "CAP_")))
	}
	return out
}

// lifecycle maps post_start and pre_stop hooks to exec handlers (the first of each).
func (c *converter) lifecycle(s types.ServiceConfig, ct *corev1.Container) {
	if len(s.PostStart) == 0 && len(s.PreStop) == 0 {
		return
	}
	ct.Lifecycle = &corev1.Lifecycle{}
	if len(s.PostStart) > 0 {
		ct.Lifecycle.PostStart = &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: s.PostStart[0].Command}}
		c.rep.approx(s.Name, "post_start", "lifecycle.postStart exec (first hook; user/privileged not kept)")
	}
	if len(s.PreStop) > 0 {
		ct.Lifecycle.PreStop = &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: s.PreStop[0].Command}}
		c.rep.approx(s.Name, "pre_stop", "lifecycle.preStop exec (first hook)")
	}
}
