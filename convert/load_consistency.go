package convert

// The checks in this file follow checkConsistency in compose-go v2.16.2
// (loader/validate.go, Copyright 2020 The Compose Specification Authors,
// Apache License 2.0), with the same messages. berth turns compose-go's
// own check off because its depends_on cycle search is exponential, runs
// this copy instead (services in name order, so the first error is always
// the same) and checks cycles in linear time (load_cycle.go).

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/types"
)

// issue is one consistency problem: the compose key and compose's message.
type issue struct {
	key  string
	kind error
	err  error
}

func invalidf(key string, kind error, format string, args ...any) *issue {
	return &issue{key: key, kind: kind, err: fmt.Errorf(format, args...)}
}

// checkConsistency returns the first problem compose would report, located.
func checkConsistency(p *types.Project, src *sources) error {
	is := firstIssue(p)
	if is == nil {
		return nil
	}
	e := &LoadError{Key: is.key, Msg: is.err.Error(), Kind: is.kind, Err: is.err}
	e.File, e.Line = src.locate(is.key)
	return e
}

func firstIssue(p *types.Project) *issue {
	for _, name := range sortedServiceNames(p.Services) {
		if is := serviceIssue(p, p.Services[name]); is != nil {
			return is
		}
	}
	if is := jobIssue(p); is != nil {
		return is
	}
	if is := secretIssue(p); is != nil {
		return is
	}
	return dependencyCycle(p)
}

func sortedServiceNames(s types.Services) []string {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func serviceIssue(p *types.Project, s types.ServiceConfig) *issue {
	for _, check := range []func(*types.Project, types.ServiceConfig) *issue{
		imageIssue, buildIssue, networkIssue, healthcheckIssue, dependsOnIssue,
		resourceRefIssue, scaleIssue, limitsIssue, developIssue, mountIssue,
	} {
		if is := check(p, s); is != nil {
			return is
		}
	}
	return nil
}

func svcKey(s types.ServiceConfig, rest ...string) string {
	return strings.Join(append([]string{"services", s.Name}, rest...), ".")
}

func imageIssue(_ *types.Project, s types.ServiceConfig) *issue {
	if s.Build == nil && s.Image == "" && s.Provider == nil {
		return invalidf(svcKey(s), ErrInconsistent, "service %q has neither an image nor a build context specified: %w", s.Name, errdefs.ErrInvalid)
	}
	return nil
}

func buildIssue(p *types.Project, s types.ServiceConfig) *issue {
	if s.Build == nil {
		return nil
	}
	if s.Build.DockerfileInline != "" && s.Build.Dockerfile != "" {
		return invalidf(svcKey(s, "build"), ErrInconsistent, "service %q declares mutualy exclusive dockerfile and dockerfile_inline: %w", s.Name, errdefs.ErrInvalid)
	}
	for _, add := range sortedKeys(s.Build.AdditionalContexts) {
		target, ok := strings.CutPrefix(s.Build.AdditionalContexts[add], types.ServicePrefix)
		if !ok {
			continue
		}
		key := svcKey(s, "build", "additional_contexts", add)
		t, found := p.Services[target]
		if !found {
			t, found = p.DisabledServices[target]
		}
		if !found {
			return invalidf(key, ErrUndefined, "service %q declares unknown service %q as additional contexts %s", s.Name, target, add)
		}
		if t.Build == nil {
			return invalidf(key, ErrInconsistent, "service %q declares non-buildable service %q as additional contexts %s", s.Name, target, add)
		}
	}
	if len(s.Build.Platforms) > 0 && s.Platform != "" && !slices.Contains(s.Build.Platforms, s.Platform) {
		return invalidf(svcKey(s, "build", "platforms"), ErrInconsistent, "service.build.platforms MUST include service.platform %q: %w", s.Platform, errdefs.ErrInvalid)
	}
	for _, secret := range s.Build.Secrets {
		if _, ok := p.Secrets[secret.Source]; !ok {
			return invalidf(svcKey(s, "build", "secrets", secret.Source), ErrUndefined, "service %q refers to undefined build secret %s: %w", s.Name, secret.Source, errdefs.ErrInvalid)
		}
	}
	return nil
}

func networkIssue(p *types.Project, s types.ServiceConfig) *issue {
	if s.NetworkMode != "" && len(s.Networks) > 0 {
		return invalidf(svcKey(s, "network_mode"), ErrInconsistent, "service %s declares mutually exclusive `network_mode` and `networks`: %w", s.Name, errdefs.ErrInvalid)
	}
	for _, network := range sortedKeys(s.Networks) {
		if _, ok := p.Networks[network]; !ok {
			return invalidf(svcKey(s, "networks", network), ErrUndefined, "service %q refers to undefined network %s: %w", s.Name, network, errdefs.ErrInvalid)
		}
	}
	if target, ok := strings.CutPrefix(s.NetworkMode, types.ServicePrefix); ok {
		if _, err := p.GetServices(target); err != nil {
			return invalidf(svcKey(s, "network_mode"), ErrUndefined, "service %q not found for network_mode 'service:%s'", target, target)
		}
	}
	return nil
}

func healthcheckIssue(_ *types.Project, s types.ServiceConfig) *issue {
	if s.HealthCheck != nil && len(s.HealthCheck.Test) > 0 {
		switch s.HealthCheck.Test[0] {
		case "CMD", "CMD-SHELL", "NONE":
		default:
			return invalidf(svcKey(s, "healthcheck", "test"), ErrInconsistent, `healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"`)
		}
	}
	return nil
}

// dependsOnIssue: a required dependency must be an active service. An
// optional one (required: false) on a missing or disabled service is
// skipped, as compose does.
func dependsOnIssue(p *types.Project, s types.ServiceConfig) *issue {
	for _, dep := range sortedKeys(s.DependsOn) {
		if _, ok := p.Services[dep]; ok {
			continue
		}
		disabled, isDisabled := p.DisabledServices[dep]
		if isDisabled && !s.DependsOn[dep].Required {
			continue
		}
		key := svcKey(s, "depends_on", dep)
		if _, isJob := p.Jobs[dep]; isJob {
			return invalidf(key, ErrInconsistent, "service %q cannot depend on job %q: services can only depend on other services: %w", s.Name, dep, errdefs.ErrInvalid)
		}
		if isDisabled {
			return invalidf(key, ErrUndefined, "service %q depends on undefined service %q: %w (%q is disabled; enable it with --profile %s)",
				s.Name, dep, errdefs.ErrInvalid, dep, strings.Join(disabled.Profiles, " or --profile "))
		}
		return invalidf(key, ErrUndefined, "service %q depends on undefined service %q: %w", s.Name, dep, errdefs.ErrInvalid)
	}
	return nil
}

func resourceRefIssue(p *types.Project, s types.ServiceConfig) *issue {
	for _, v := range s.Volumes {
		if v.Type == types.VolumeTypeVolume && v.Source != "" {
			if _, ok := p.Volumes[v.Source]; !ok {
				return invalidf(svcKey(s, "volumes", v.Source), ErrUndefined, "service %q refers to undefined volume %s: %w", s.Name, v.Source, errdefs.ErrInvalid)
			}
		}
	}
	for _, c := range s.Configs {
		if _, ok := p.Configs[c.Source]; !ok {
			return invalidf(svcKey(s, "configs", c.Source), ErrUndefined, "service %q refers to undefined config %s: %w", s.Name, c.Source, errdefs.ErrInvalid)
		}
	}
	for _, m := range sortedKeys(s.Models) {
		if _, ok := p.Models[m]; !ok {
			return invalidf(svcKey(s, "models", m), ErrUndefined, "service %q refers to undefined model %s: %w", s.Name, m, errdefs.ErrInvalid)
		}
	}
	for _, sec := range s.Secrets {
		if _, ok := p.Secrets[sec.Source]; !ok {
			return invalidf(svcKey(s, "secrets", sec.Source), ErrUndefined, "service %q refers to undefined secret %s: %w", s.Name, sec.Source, errdefs.ErrInvalid)
		}
	}
	return nil
}
