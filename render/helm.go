package render

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"berth/convert"

	"sigs.k8s.io/yaml"
)

// HelmChart describes the chart Helm writes.
type HelmChart struct {
	Name       string // chart name (default: the project)
	Version    string // chart version (default 0.1.0)
	AppVersion string // default: the compose hash
}

// valuesHeader explains values.yaml to whoever edits it.
const valuesHeader = `# The knobs of the environment this chart was rendered from, by compose service:
# replicas; resources (of the main container, the others' under containers.<name>);
# host (hosts.<container port> for several); tlsSecret; storageClass and volumeSize
# (volumes.<volume>.* where a service's volumes differ); backup: schedule, retention,
# volumeSize. global: what services share: registry and tag of the images berth
# builds, ingressClass, gateway, backup bucket and Secret, volumes mounted by several
# services, the log shipper's resources.
# Which objects exist (Ingress or HTTPRoute, LoadBalancer or NodePort Services, metrics
# exporters and ServiceMonitors, the log shipper and its sink, where backups go) was
# decided by that environment: render another with berth convert --env NAME --format helm.
`

// Helm writes a chart into dir whose templates render exactly the objects of
// b (the prod environment) with `helm template`, and whose values.yaml holds
// the environment's knobs by service (see valuesHeader). It returns the
// files written, relative to dir.
func Helm(dir string, b *convert.Bundle, c HelmChart) ([]string, error) {
	if c.Name == "" {
		c.Name = convert.DNSName(b.Project)
	}
	if c.Version == "" {
		c.Version = "0.1.0"
	}
	files, err := helmTemplates(b, c.Name)
	if err != nil {
		return nil, err
	}
	files["Chart.yaml"] = chartYAML(c, b)
	files[".helmignore"] = []byte("*.orig\n*~\n")
	return writeTree(dir, files)
}

// helmTemplates finds every knob field of b's objects, places the knobs in
// values.yaml, and writes the templates reading them.
func helmTemplates(b *convert.Bundle, chart string) (map[string][]byte, error) {
	maps := make([]map[string]any, len(b.Objects))
	for i, o := range b.Objects {
		m, err := ToMap(o)
		if err != nil {
			return nil, err
		}
		maps[i] = m
	}
	col := newCollector(b, maps, chart)
	for _, m := range maps {
		col.collect(m)
	}
	values := col.resolve()
	for i, s := range col.sites {
		if s.placed() {
			s.put(marker(i))
		}
	}
	templates := map[string][]string{}
	for i, o := range b.Objects {
		text, err := col.templateText(maps[i])
		if err != nil {
			return nil, err
		}
		templates[FileName(o)] = append(templates[FileName(o)], text)
	}
	files := map[string][]byte{}
	for f, docs := range templates {
		files["templates/"+f] = []byte(strings.Join(docs, "---\n"))
	}
	defines, err := col.defines()
	if err != nil {
		return nil, err
	}
	if defines != "" {
		files["templates/_restore-jobs.tpl"] = []byte(defines)
	}
	vals, err := yaml.Marshal(values)
	if err != nil {
		return nil, err
	}
	files["values.yaml"] = append([]byte(valuesHeader), vals...)
	return files, nil
}

func chartYAML(c HelmChart, b *convert.Bundle) []byte {
	app := c.AppVersion
	if app == "" {
		app = b.Project
	}
	data, _ := yaml.Marshal(map[string]any{
		"apiVersion":  "v2",
		"name":        c.Name,
		"description": fmt.Sprintf("Kubernetes manifests of the compose project %s, converted by berth", b.Project),
		"type":        "application",
		"version":     c.Version,
		"appVersion":  app,
		"icon":        "https://raw.githubusercontent.com/cncf/artwork/main/projects/kubernetes/icon/color/kubernetes-icon-color.svg",
	})
	return data
}

// writeTree writes files (relative paths) under dir and returns their names.
func writeTree(dir string, files map[string][]byte) ([]string, error) {
	names := make([]string, 0, len(files))
	for f := range files {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := writeFileAtomic(p, files[f]); err != nil {
			return nil, err
		}
	}
	return names, nil
}
