package convert

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// logPath is a place a service writes log files to.
type logPath struct {
	dir  string // directory holding the files
	glob string // files to follow, within dir
	why  string // compose key that said so
}

// logPaths finds where a service logs to files: x-berth.logs, or a volume
// whose name or target looks like logs (".../log", "app-logs", ...).
func logPaths(s types.ServiceConfig, ext ServiceExt) []logPath {
	var out []logPath
	var seen map[string]bool // made for the first path: most services log to none
	add := func(p, why string) {
		if !path.IsAbs(p) {
			// Relative to the working directory, as the process sees it.
			p = path.Join("/", s.WorkingDir, p)
		}
		p = path.Clean(p)
		lp := logPath{dir: p, glob: "*.log", why: why}
		if path.Ext(p) != "" {
			lp.dir, lp.glob = path.Dir(p), path.Base(p)
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		if !seen[lp.dir+"/"+lp.glob] {
			seen[lp.dir+"/"+lp.glob] = true
			out = append(out, lp)
		}
	}
	if ext.Logs != "" {
		add(ext.Logs, "x-berth.logs")
	}
	for i, v := range s.Volumes {
		if v.ReadOnly || v.Target == "" || (v.Type != types.VolumeTypeVolume && v.Type != types.VolumeTypeBind) {
			continue
		}
		if looksLikeLogs(v.Target) || (v.Type == types.VolumeTypeVolume && looksLikeLogs(v.Source)) {
			add(v.Target, fmt.Sprintf("volumes[%d]", i))
		}
	}
	return out
}

// looksLikeLogs matches a path with a "log"/"logs" element (/var/log/nginx)
// or a name ending in logs (weblogs, app_logs), but not blogs.
func looksLikeLogs(p string) bool {
	low := strings.ToLower(p)
	start := 0 // the words between '/', '-', '_' and '.', cut without a slice of them
	for i := 0; i <= len(low); i++ {
		if i < len(low) && low[i] != '/' && low[i] != '-' && low[i] != '_' && low[i] != '.' {
			continue
		}
		if w := low[start:i]; w == "log" || (strings.HasSuffix(w, "logs") && w != "blogs") {
			return true
		}
		start = i + 1
	}
	return false
}

// logSidecars adds to a pod owner one native sidecar per log location of
// its containers (an init container with restartPolicy Always, Kubernetes ≥
// 1.29): it follows the files to its stdout, where the cluster's log
// collection (and `berth up`'s dashboard) reads every container's output.
func (c *converter) logSidecars(owner string) error {
	if !c.mayLogToFiles(owner) && !slices.ContainsFunc(c.podGuests(owner), c.mayLogToFiles) {
		return nil // no log path, and no x-berth that could fail to decode
	}
	pt, _ := c.workloadContainer(owner)
	if pt == nil {
		return nil
	}
	for _, n := range append([]string{owner}, c.podGuests(owner)...) {
		s := c.p.Services[n]
		ext, err := serviceExt(s)
		if err != nil {
			return err
		}
		ct := containerNamed(&pt.Spec, DNSName(n))
		if ct == nil {
			continue
		}
		for i, lp := range logPaths(s, ext) {
			vol := c.logVolume(&pt.Spec, ct, lp.dir)
			pt.Spec.InitContainers = append(pt.Spec.InitContainers, c.logSidecar(fmt.Sprintf("%s-logs-%d", DNSName(n), i), vol, lp))
			c.rep.note("logs: %s writes %s/%s (%s): native sidecar follows them to stdout", n, lp.dir, lp.glob, lp.why)
			if lp.why == "x-berth.logs" {
				c.rep.mapped(n, "x-berth.logs", "native sidecar tails %s/%s to stdout", lp.dir, lp.glob)
			}
		}
	}
	return nil
}

// mayLogToFiles tells a service that logPaths may find paths in: one with
// volumes or x-berth settings (most services have neither, and need not be
// looked at further).
func (c *converter) mayLogToFiles(service string) bool {
	return len(c.p.Services[service].Volumes) > 0 || c.p.Services[service].Extensions[ExtensionKey] != nil
}

func containerNamed(spec *corev1.PodSpec, name string) *corev1.Container {
	for i := range spec.Containers {
		if spec.Containers[i].Name == name {
			return &spec.Containers[i]
		}
	}
	return nil
}

// logVolume returns the volume mounted at dir in ct, adding an emptyDir
// when nothing is (a bind-mounted directory, or a plain path in the image).
func (c *converter) logVolume(spec *corev1.PodSpec, ct *corev1.Container, dir string) string {
	for _, m := range ct.VolumeMounts {
		if m.MountPath == dir && m.SubPath == "" {
			return m.Name
		}
	}
	name := "logs-" + shortHash(ct.Name+dir)
	spec.Volumes = append(spec.Volumes, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}})
	ct.VolumeMounts = append(ct.VolumeMounts, corev1.VolumeMount{Name: name, MountPath: dir})
	return name
}

// logSidecar waits for the first file, then follows them from the start
// (busybox tail -F also picks up rotated files).
func (c *converter) logSidecar(name, vol string, lp logPath) corev1.Container {
	always := corev1.ContainerRestartPolicyAlways
	files := shellQuote(lp.dir) + "/" + lp.glob
	script := fmt.Sprintf("until ls %s >/dev/null 2>&1; do sleep 5; done; exec tail -n +1 -F %s", files, files)
	return corev1.Container{
		Name:          truncateName(name, 63, name),
		Image:         c.opts.WaitImage,
		Command:       []string{"sh", "-c", script},
		RestartPolicy: &always,
		VolumeMounts:  []corev1.VolumeMount{{Name: vol, MountPath: lp.dir, ReadOnly: true}},
	}
}

// shellQuote quotes s for sh unless it is plainly safe.
func shellQuote(s string) string {
	if strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '-' || r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
