package render_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"berth/convert"
	"berth/render"

	"sigs.k8s.io/yaml"
)

// knobKeys are the keys values.yaml may hold, as paths: S is a compose
// service's key, * any one key, ** any keys below (or none). Anything else
// is not a knob an environment sets (convert/env_types.go) and fails the
// test: a new key must be added here on purpose.
var knobKeys = expandResources([]string{
	"S.replicas", "S.RES", "S.containers.*.RES",
	"S.image.registry", "S.image.tag",
	"S.host", "S.hosts.*", "S.tlsSecret", "S.ingressClass", "S.gateway.name", "S.gateway.namespace",
	"S.storageClass", "S.volumeSize", "S.volumes.*.storageClass", "S.volumes.*.volumeSize",
	"S.backup.schedule", "S.backup.retention", "S.backup.bucket", "S.backup.storageClass", "S.backup.volumeSize",
	"S.backup.RES", "S.backup.containers.*.RES",
	"global.registry", "global.tag", "global.ingressClass", "global.gateway.name", "global.gateway.namespace",
	"global.backup.bucket", "global.backup.secret",
	"global.volumes.*.storageClass", "global.volumes.*.volumeSize", "global.logShipper.RES",
})

// expandResources spells RES out: a container's resources, empty or with
// requests and limits per resource.
func expandResources(patterns []string) [][]string {
	var out [][]string
	for _, p := range patterns {
		if !strings.Contains(p, "RES") {
			out = append(out, strings.Split(p, "."))
			continue
		}
		for _, r := range []string{"resources", "resources.requests.*", "resources.limits.*"} {
			out = append(out, strings.Split(strings.Replace(p, "RES", r, 1), "."))
		}
	}
	return out
}

// TestHelmValuesAreKnobs checks every case's prod chart: values.yaml holds
// only knob keys (knobKeys), under the compose services or global, and the
// host names of prod's Ingresses and HTTPRoutes (and TLS Secrets) are
// values, written nowhere in the templates.
func TestHelmValuesAreKnobs(t *testing.T) {
	for _, tc := range allCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := renderCase(t, tc, "prod")
			dir := t.TempDir()
			if _, err := render.Helm(dir, b, render.HelmChart{}); err != nil {
				t.Fatal(err)
			}
			values := readValues(t, dir)
			services := serviceKeys(b)
			leaves := map[string]any{}
			walkLeaves(values, nil, func(p []string, v any) {
				leaves[strings.Join(p, ".")] = v
				if !isKnobKey(p, services) {
					t.Errorf("values.yaml: %s is not a knob", strings.Join(p, "."))
				}
			})
			templates := templateText(t, dir)
			for _, name := range exposedNames(t, b) {
				if !hasValue(leaves, name) {
					t.Errorf("values.yaml lacks %q (a prod host name or TLS Secret)", name)
				}
				if strings.Contains(templates, name) {
					t.Errorf("a template writes %q itself instead of reading it from values.yaml", name)
				}
			}
		})
	}
}

func isKnobKey(p []string, services map[string]bool) bool {
	for _, k := range knobKeys {
		if matchKey(k, p, services) {
			return true
		}
	}
	return false
}

func matchKey(pattern, p []string, services map[string]bool) bool {
	if len(pattern) != len(p) {
		return false
	}
	for i, seg := range pattern {
		switch {
		case seg == "S" && i == 0:
			if !services[p[0]] {
				return false
			}
		case seg != "*" && seg != p[i]:
			return false
		}
	}
	return true
}

// serviceKeys are the compose services that objects belong to.
func serviceKeys(b *convert.Bundle) map[string]bool {
	out := map[string]bool{}
	for _, o := range b.Objects {
		if s := o.GetAnnotations()[convert.AnnotationService]; s != "" {
			out[s] = true
		}
	}
	return out
}

// exposedNames are prod's host names and TLS Secret names.
func exposedNames(t *testing.T, b *convert.Bundle) []string {
	t.Helper()
	set := map[string]bool{}
	for _, m := range objectMaps(t, b.Objects) {
		if m["kind"] != "Ingress" && m["kind"] != "HTTPRoute" {
			continue
		}
		spec, _ := m["spec"].(map[string]any)
		for _, r := range listOf(spec["rules"]) {
			set[str(r.(map[string]any)["host"])] = true
		}
		for _, tls := range listOf(spec["tls"]) {
			set[str(tls.(map[string]any)["secretName"])] = true
			for _, h := range listOf(tls.(map[string]any)["hosts"]) {
				set[str(h)] = true
			}
		}
		for _, h := range listOf(spec["hostnames"]) {
			set[str(h)] = true
		}
	}
	var out []string
	for n := range set {
		if n != "" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

func readValues(t *testing.T, dir string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var values map[string]any
	if err := yaml.Unmarshal(data, &values); err != nil {
		t.Fatal(err)
	}
	return values
}

func templateText(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "templates", "*"))
	var sb strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sb.Write(data)
	}
	return sb.String()
}

// walkLeaves calls fn for every value that is not a non-empty map.
func walkLeaves(v any, p []string, fn func([]string, any)) {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		fn(p, v)
		return
	}
	for k, child := range m {
		walkLeaves(child, append(p[:len(p):len(p)], k), fn)
	}
}

func hasValue(leaves map[string]any, s string) bool {
	for _, v := range leaves {
		if fmt.Sprint(v) == s {
			return true
		}
	}
	return false
}
