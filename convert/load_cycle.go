package convert

// The scale, limits, develop, mount, job and secret checks follow
// checkConsistency in compose-go v2.16.2 (loader/validate.go, Copyright 2020
// The Compose Specification Authors, Apache License 2.0). The cycle search
// is berth's own: compose-go's walks every path and is exponential.

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/types"
)

func scaleIssue(_ *types.Project, s types.ServiceConfig) *issue {
	if s.Scale != nil && s.Deploy != nil && s.Deploy.Replicas != nil && *s.Scale != *s.Deploy.Replicas {
		return invalidf(svcKey(s, "scale"), ErrInconsistent, "%d differs from deploy.replicas (%d): set one of them: %w", *s.Scale, *s.Deploy.Replicas, errdefs.ErrInvalid)
	}
	if s.Scale != nil && *s.Scale < 0 {
		return invalidf(svcKey(s, "scale"), ErrInconsistent, "must be greater than or equal to 0")
	}
	if s.Deploy != nil && s.Deploy.Replicas != nil && *s.Deploy.Replicas < 0 {
		return invalidf(svcKey(s, "deploy", "replicas"), ErrInconsistent, "must be greater than or equal to 0")
	}
	if s.GetScale() > 1 && s.ContainerName != "" {
		attr := "scale"
		if s.Scale == nil {
			attr = "deploy.replicas"
		}
		// compose says "services.scale: can't set container_name and web as
		// container name must be unique", naming neither the service's scale
		// nor the number; the key here is the service's container_name.
		return invalidf(svcKey(s, "container_name"), ErrInconsistent, "cannot be set when %s is %d, as a container name must be unique: %w", attr, s.GetScale(), errdefs.ErrInvalid)
	}
	return nil
}

// syncScale copies `scale` into deploy.replicas, as compose's check does.
func syncScale(p *types.Project) {
	for _, s := range p.Services {
		if s.Scale != nil && s.Deploy != nil {
			s.Deploy.Replicas = s.Scale
		}
	}
}

func limitsIssue(_ *types.Project, s types.ServiceConfig) *issue {
	if s.Deploy == nil {
		return nil
	}
	lim, res := s.Deploy.Resources.Limits, s.Deploy.Resources.Reservations
	distinct := func(attr, other string) *issue {
		return invalidf(svcKey(s, attr), ErrInconsistent, "differs from %s: set one of them: %w", other, errdefs.ErrInvalid)
	}
	switch {
	case s.CPUS != 0 && lim != nil && lim.NanoCPUs.Value() != s.CPUS:
		return distinct("cpus", "deploy.resources.limits.cpus")
	case s.MemLimit != 0 && lim != nil && lim.MemoryBytes != s.MemLimit:
		return distinct("mem_limit", "deploy.resources.limits.memory")
	case s.MemReservation != 0 && res != nil && res.MemoryBytes != s.MemReservation:
		return distinct("mem_reservation", "deploy.resources.reservations.memory")
	case s.PidsLimit != 0 && lim != nil && lim.Pids != s.PidsLimit:
		return distinct("pids_limit", "deploy.resources.limits.pids")
	}
	return nil
}

func developIssue(_ *types.Project, s types.ServiceConfig) *issue {
	if s.Develop == nil {
		return nil
	}
	for _, w := range s.Develop.Watch {
		if w.Target == "" && w.Action != types.WatchActionRebuild && w.Action != types.WatchActionRestart {
			return invalidf(svcKey(s, "develop", "watch"), ErrInconsistent, "target is required for actions other than rebuild and restart: %w", errdefs.ErrInvalid)
		}
	}
	return nil
}

func mountIssue(_ *types.Project, s types.ServiceConfig) *issue {
	mounts := map[string]string{}
	for i, tmpfs := range s.Tmpfs {
		loc := fmt.Sprintf("tmpfs[%d]", i)
		path, _, _ := strings.Cut(tmpfs, ":")
		if prev, ok := mounts[path]; ok {
			return invalidf(svcKey(s, "tmpfs"), ErrInconsistent, "target %s of %s is already mounted by %s", path, loc, prev)
		}
		mounts[path] = loc
	}
	for i, v := range s.Volumes {
		loc := fmt.Sprintf("volumes[%d]", i)
		if prev, ok := mounts[v.Target]; ok {
			return invalidf(svcKey(s, "volumes"), ErrInconsistent, "target %s of %s is already mounted by %s", v.Target, loc, prev)
		}
		mounts[v.Target] = loc
	}
	return nil
}

func jobIssue(p *types.Project) *issue {
	all := p.AllJobs()
	for _, name := range sortedKeys(all) {
		_, svc := p.Services[name]
		_, disabled := p.DisabledServices[name]
		if svc || disabled {
			return invalidf("jobs."+name, ErrInconsistent, "%q is declared both as a service and a job: service and job names must be unique: %w", name, errdefs.ErrInvalid)
		}
	}
	for _, name := range sortedKeys(p.Jobs) {
		j := p.Jobs[name]
		for _, dep := range sortedKeys(j.DependsOn) {
			if _, isJob := p.Jobs[dep]; isJob {
				continue
			}
			if _, ok := p.Services[dep]; ok {
				continue
			}
			if _, disabled := p.DisabledServices[dep]; disabled && !j.DependsOn[dep].Required {
				continue
			}
			return invalidf("jobs."+name+".depends_on."+dep, ErrUndefined, "job %q depends on undefined service or job %q: %w", name, dep, errdefs.ErrInvalid)
		}
	}
	return nil
}

func secretIssue(p *types.Project) *issue {
	for _, name := range sortedKeys(p.Secrets) {
		secret := p.Secrets[name]
		if !secret.External && secret.File == "" && secret.Environment == "" {
			return invalidf("secrets."+name, ErrInconsistent, "secret %q must declare either `file` or `environment`: %w", name, errdefs.ErrInvalid)
		}
	}
	return nil
}

// dependencyCycle finds a depends_on cycle among active services in linear
// time: a depth-first search that colours each service once (white: not
// seen, grey: on the current path, black: done). Services and edges are
// visited in name order, so the cycle named is the one compose names.
// Edges to services that are not active are ignored, as compose does.
func dependencyCycle(p *types.Project) *issue {
	const (
		white = iota
		grey
		black
	)
	colour := make(map[string]int, len(p.Services))
	var path []string
	var visit func(name string) []string
	visit = func(name string) []string {
		colour[name] = grey
		path = append(path, name)
		deps := sortedKeys(p.Services[name].DependsOn)
		for _, dep := range deps {
			if _, active := p.Services[dep]; !active {
				continue
			}
			switch colour[dep] {
			case grey:
				start := indexOf(path, dep)
				return append(append([]string{}, path[start:]...), dep)
			case white:
				if cycle := visit(dep); cycle != nil {
					return cycle
				}
			}
		}
		path = path[:len(path)-1]
		colour[name] = black
		return nil
	}
	names := sortedServiceNames(p.Services)
	for _, name := range names {
		if colour[name] != white {
			continue
		}
		if cycle := visit(name); cycle != nil {
			return invalidf(svcKey(p.Services[cycle[0]], "depends_on", cycle[1]), ErrDependencyCycle,
				"dependency cycle detected: %s", strings.Join(cycle, " -> "))
		}
	}
	return nil
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
