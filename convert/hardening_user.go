package convert

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// serviceUser is who the main container of a service runs as, when berth
// knows it: compose's `user:`, else the USER of the Dockerfile the image is
// built from (Load reads it into Options.ImageUsers).
type serviceUser struct {
	spec  string // "uid[:gid]" or a name, as given
	from  string // for the report: "compose user" or "USER in ./api/Dockerfile:22"
	image bool   // from the Dockerfile, so container.go set no runAsUser
}

// userOf returns the known user of a service; compose's `user:` wins, as it
// does over the image's USER in docker.
func (c *converter) userOf(s types.ServiceConfig) serviceUser {
	if s.User != "" {
		return serviceUser{spec: s.User, from: "compose user"}
	}
	iu, ok := c.opts.ImageUsers[s.Name]
	if s.Build == nil || !ok || iu.User == "" {
		return serviceUser{}
	}
	return serviceUser{spec: iu.User, from: "USER in " + c.dockerfileAt(iu, true), image: true}
}

func (c *converter) dockerfileAt(iu ImageUser, line bool) string {
	where := iu.Dockerfile
	if filepath.IsAbs(where) {
		where = c.relPath(where)
	}
	if line && iu.Line > 0 {
		where = fmt.Sprintf("%s:%d", where, iu.Line)
	}
	return where
}

// uid parses a numeric user or group id in the range Kubernetes accepts.
func uid(s string) (int64, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 32)
	return id, err == nil && id >= 0
}

// knownNonRoot reports whether a user spec names a numeric non-zero uid:
// only then can the kubelet verify runAsNonRoot.
func knownNonRoot(spec string) bool {
	u, _, _ := strings.Cut(spec, ":")
	id, ok := uid(u)
	return ok && id > 0
}

// runAsImageUser sets runAsUser (and runAsGroup) from the Dockerfile's USER,
// as container.go does for compose's `user:`. A group given by name is left
// to the image: runAsUser alone would replace it with the uid's primary
// group, and the kubelet verifies the image's numeric uid by itself.
func runAsImageUser(sc *corev1.SecurityContext, u serviceUser) {
	if !u.image {
		return
	}
	us, gs, hasGroup := strings.Cut(u.spec, ":")
	id, _ := uid(us)
	gid, gok := uid(gs)
	if hasGroup && !gok {
		return
	}
	sc.RunAsUser = &id
	if hasGroup {
		sc.RunAsGroup = &gid
	}
}

// noteImageUser says why a service built from a Dockerfile, whose user
// compose does not set, gets no runAsNonRoot.
func (c *converter) noteImageUser(s types.ServiceConfig) {
	iu, ok := c.opts.ImageUsers[s.Name]
	if s.User != "" || s.Build == nil || !ok {
		return
	}
	u, _, _ := strings.Cut(iu.User, ":")
	id, numeric := uid(u)
	switch {
	case iu.User == "":
		c.rep.note("hardening %s: no runAsNonRoot (%s: %s)", s.Name, c.dockerfileAt(iu, false), iu.Why)
	case (numeric && id == 0) || u == "root":
		c.rep.note("hardening %s: no runAsNonRoot, the image runs as root (USER %s in %s)", s.Name, iu.User, c.dockerfileAt(iu, true))
	case strings.Trim(u, "0123456789") == "": // out of range, or no uid at all
		c.rep.note("hardening %s: no runAsNonRoot, USER %s in %s is not a uid Kubernetes accepts", s.Name, iu.User, c.dockerfileAt(iu, true))
	default:
		c.rep.note("hardening %s: no runAsNonRoot, the image runs as user %q (USER in %s), a name the kubelet cannot verify as non-root (it refuses to start such a container with runAsNonRoot); a numeric USER in the Dockerfile or `user:` in compose enables it", s.Name, iu.User, c.dockerfileAt(iu, true))
	}
}
