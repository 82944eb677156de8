package render_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"berth/convert"
	"berth/render"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	"sigs.k8s.io/yaml"
)

// TestHelmChartRendersProd writes the chart of every case and renders it
// with Helm's own engine: the objects must equal `convert --env prod`, and
// `helm lint` must report nothing.
func TestHelmChartRendersProd(t *testing.T) {
	for _, tc := range allCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkChart(t, renderCase(t, tc, "prod"))
		})
	}
}

// TestHelmChartRendersEveryEnvironment does the same for the fixtures'
// other environments (`convert --format helm --env NAME`).
func TestHelmChartRendersEveryEnvironment(t *testing.T) {
	for _, tc := range fixtureCases(t) {
		l, err := tc.load()
		if err != nil {
			t.Fatalf("%s: load: %v", tc.name, err)
		}
		for _, env := range convert.EnvironmentNames(l.Project.Extensions) {
			if env == "prod" {
				continue
			}
			t.Run(tc.name+"/"+env, func(t *testing.T) {
				t.Parallel()
				checkChart(t, renderCase(t, tc, env))
			})
		}
	}
}

func checkChart(t *testing.T, b *convert.Bundle) {
	t.Helper()
	dir := t.TempDir()
	if _, err := render.Helm(dir, b, render.HelmChart{}); err != nil {
		t.Fatal(err)
	}
	compareObjects(t, objectMaps(t, b.Objects), helmTemplate(t, dir))
	linted := lint.All(dir, nil, b.Namespace, true)
	for _, m := range linted.Messages {
		if m.Severity > support.InfoSev {
			t.Errorf("helm lint: %s", m)
		}
	}
}

// helmTemplate renders a chart directory like `helm template`, and parses
// every document.
func helmTemplate(t *testing.T, dir string) map[string]map[string]any {
	t.Helper()
	out := helmRender(t, dir, map[string]any{})
	objs := map[string]map[string]any{}
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, doc := range strings.Split(out[n], "\n---\n") {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			var m map[string]any
			if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
				t.Fatalf("%s: %v\n%s", n, err, doc)
			}
			objs[refOf(m)] = m
		}
	}
	return objs
}

// helmRender renders a chart with values overriding values.yaml's, and
// returns the text of every file.
func helmRender(t *testing.T, dir string, values map[string]any) map[string]string {
	t.Helper()
	ch, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := chartutil.ToRenderValues(ch, values, chartutil.ReleaseOptions{Name: "release", Namespace: "default"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := engine.Render(ch, vals)
	if err != nil {
		t.Fatalf("helm template: %v", err)
	}
	return out
}

func objectMaps(t *testing.T, objs []convert.Object) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, o := range objs {
		y, err := render.ObjectYAML(o)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(y, &m); err != nil {
			t.Fatal(err)
		}
		out[refOf(m)] = m
	}
	return out
}

// normalize makes numbers float64 whichever decoder read the object.
func normalize(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func refOf(m map[string]any) string {
	meta, _ := m["metadata"].(map[string]any)
	return strings.Join([]string{m["kind"].(string), str(meta["namespace"]), str(meta["name"])}, "/")
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func compareObjects(t *testing.T, want, got map[string]map[string]any) {
	t.Helper()
	for ref, w := range want {
		g, ok := got[ref]
		if !ok {
			t.Errorf("%s: missing from the rendered chart", ref)
			continue
		}
		if !reflect.DeepEqual(normalize(t, w), normalize(t, g)) {
			wy, _ := yaml.Marshal(w)
			gy, _ := yaml.Marshal(g)
			t.Errorf("%s differs:\nwant:\n%s\ngot:\n%s", ref, wy, gy)
		}
	}
	for ref := range got {
		if _, ok := want[ref]; !ok {
			t.Errorf("%s: rendered by the chart but not by convert", ref)
		}
	}
}
