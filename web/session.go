package web

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"berth/convert"
	"berth/localenv"
	brender "berth/render"

	networkingv1 "k8s.io/api/networking/v1"
)

// SessionSource serves the dashboard from a running localenv.Session: live
// events from its publisher, status from its monitor, and manifests rendered
// again from the same compose project (never with secret values).
type SessionSource struct {
	S *localenv.Session
}

var _ Source = SessionSource{}

// Project names the compose project.
func (a SessionSource) Project() string { return a.S.Project }

// Subscribe follows the session's events.
func (a SessionSource) Subscribe(buffer int) (<-chan localenv.Event, func()) {
	return a.S.Pub.Subscribe(buffer)
}

// Snapshot returns the latest status of every service.
func (a SessionSource) Snapshot() []localenv.ServiceStatus { return a.S.Snapshot() }

// Manifests renders a service's objects for local and prod, their diff and
// the service's report entries.
func (a SessionSource) Manifests(service string) (ServiceManifests, error) {
	var out ServiceManifests
	bundles := map[string]*convert.Bundle{}
	loaded, _ := a.S.View()
	// the commit, as `berth convert` and `berth promote` read it: prod's
	// git-commit tag policy names the same images here as there
	commit := localenv.GitCommit(loaded.Project.WorkingDir)
	for _, env := range []string{"local", "prod"} {
		opts := loaded.Options()
		opts.Env = env
		opts.GitCommit = commit
		b, err := convert.Convert(loaded.Project, opts)
		if err != nil {
			return out, fmt.Errorf("render %s: %w", env, err)
		}
		bundles[env] = b
		y, err := brender.Stream(objectsOf(b, service))
		if err != nil {
			return out, err
		}
		out.Envs = append(out.Envs, EnvManifest{Env: env, YAML: string(y)})
	}
	diffs, err := brender.Diff(objectsOf(bundles["local"], service), objectsOf(bundles["prod"], service))
	if err != nil {
		return out, err
	}
	var sb strings.Builder
	brender.WriteDiff(&sb, "local", "prod", diffs)
	out.Diff = sb.String()
	for _, e := range bundles["local"].Report.Entries {
		if e.Service == service {
			out.Report = append(out.Report, ReportEntry{Key: e.Key, Status: string(e.Status), Why: e.Why})
		}
	}
	return out, nil
}

func objectsOf(b *convert.Bundle, service string) []convert.Object {
	var out []convert.Object
	for _, o := range b.Objects {
		if o.GetAnnotations()[convert.AnnotationService] == service {
			out = append(out, o)
		}
	}
	return out
}

// Graph lists depends_on and links edges from the compose project, and the
// edges the NetworkPolicies allow.
func (a SessionSource) Graph() []Edge {
	var edges []Edge
	loaded, bundle := a.S.View()
	p := loaded.Project
	for _, name := range sortedNames(p.Services) {
		s := p.Services[name]
		for _, dep := range sortedNames(s.DependsOn) {
			edges = append(edges, Edge{From: name, To: dep, Why: EdgeDependsOn})
		}
		for _, l := range s.Links {
			target, _, _ := strings.Cut(l, ":")
			edges = append(edges, Edge{From: name, To: target, Why: EdgeLink})
		}
	}
	return append(edges, policyEdges(bundle)...)
}

// policyEdges reads the allowed pod-to-pod edges back from the NetworkPolicies.
func policyEdges(b *convert.Bundle) []Edge {
	byDNS := map[string]string{}
	for _, o := range b.Objects {
		if svc := o.GetAnnotations()[convert.AnnotationService]; svc != "" {
			byDNS[convert.DNSName(svc)] = svc
		}
	}
	var edges []Edge
	for _, o := range b.Objects {
		np, ok := o.(*networkingv1.NetworkPolicy)
		if !ok {
			continue
		}
		to := byDNS[np.Spec.PodSelector.MatchLabels[convert.LabelName]]
		for _, rule := range np.Spec.Ingress {
			for _, peer := range rule.From {
				if peer.PodSelector == nil {
					continue
				}
				if from := byDNS[peer.PodSelector.MatchLabels[convert.LabelName]]; from != "" && to != "" {
					edges = append(edges, Edge{From: from, To: to, Why: EdgeNetpol})
				}
			}
		}
	}
	return edges
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Restart rolls the service's pods.
func (a SessionSource) Restart(ctx context.Context, service string) error {
	return a.S.Restart(ctx, service)
}

// Rebuild rebuilds the service's image, loads it and rolls it out.
func (a SessionSource) Rebuild(ctx context.Context, service string) error {
	return a.S.Rebuild(ctx, service)
}
