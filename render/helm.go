package render

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
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

const placeholderPrefix = "__BERTH_VALUE_"

var placeholderLine = regexp.MustCompile(`^(\s*(?:- )?)(.*?)` + placeholderPrefix + `(\d+)__$`)

// Helm writes a chart into dir whose templates render exactly the objects of
// b (the prod environment) with `helm template`, and whose values.yaml holds
// every knob field (replicas, resources, images, storage, ...) of b. It
// returns the files written, relative to dir.
func Helm(dir string, b *convert.Bundle, c HelmChart) ([]string, error) {
	if c.Name == "" {
		c.Name = convert.DNSName(b.Project)
	}
	if c.Version == "" {
		c.Version = "0.1.0"
	}
	values := map[string]any{}
	templates := map[string][]string{}
	for _, o := range b.Objects {
		text, err := templateObject(o, values)
		if err != nil {
			return nil, err
		}
		f := FileName(o)
		templates[f] = append(templates[f], text)
	}
	files := map[string][]byte{"Chart.yaml": chartYAML(c, b), ".helmignore": []byte("*.orig\n*~\n")}
	vals, err := yaml.Marshal(values)
	if err != nil {
		return nil, err
	}
	files["values.yaml"] = append([]byte("# Knobs of the environment this chart was rendered from; everything else is fixed by the compose files.\n"), vals...)
	for f, docs := range templates {
		files["templates/"+f] = []byte(strings.Join(docs, "---\n"))
	}
	return writeTree(dir, files)
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

// templateObject renders one object as a template whose knob fields read
// .Values, adding those fields' values to values.
func templateObject(o convert.Object, values map[string]any) (string, error) {
	m, err := ToMap(o)
	if err != nil {
		return "", err
	}
	key := objectKey(convert.Kind(o), o.GetName())
	fields := extractKnobs(convert.Kind(o), m, func(i int) string { return placeholderPrefix + strconv.Itoa(i) + "__" })
	data, err := yaml.Marshal(m)
	if err != nil {
		return "", err
	}
	text := strings.ReplaceAll(string(data), "{{", `{{ "{{" }}`)
	if len(fields) == 0 {
		return text, nil
	}
	objValues := map[string]any{}
	for _, f := range fields {
		objValues[f.Key] = f.Value
	}
	values[key] = objValues
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		sub := placeholderLine.FindStringSubmatch(line)
		if sub == nil {
			continue
		}
		n, _ := strconv.Atoi(sub[3])
		indent := len(sub[1]) + 2 // below a key: two deeper than the key
		if sub[2] == "" {
			indent = len(sub[1]) // a whole list item: at the item's column
		}
		lines[i] = fmt.Sprintf("%s%s{{- index .Values %q %q | toYaml | nindent %d }}", sub[1], sub[2], key, fields[n].Key, indent)
	}
	return strings.Join(lines, "\n"), nil
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
