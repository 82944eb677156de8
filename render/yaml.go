// Package render writes a conversion's objects: as one YAML stream, or as
// one file per service plus the shared objects.
package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"berth/convert"
)

// ObjectYAML serialises one typed object without the fields an API server
// fills in (creationTimestamp: null, empty status). The output is what
// sigs.k8s.io/yaml.Marshal gives for the cleaned map (JSON, parsed again
// with yaml.v2 to pick int or float, then yaml.v2), without its second
// JSON encoding and its YAML parse of the JSON: yaml_tree.go writes the
// YAML straight from the JSON bytes, cleaning as it goes and writing
// numbers as the int or float64 yaml.v2 would pick. yaml.v2 writes the
// objects it cannot (see mapYAML).
func ObjectYAML(o convert.Object) ([]byte, error) {
	y, err := newYAMLWriter().objectYAML(o)
	return bytes.Clone(y), err
}

// objectYAML returns the YAML of o, valid until the writer's next call:
// written from the typed object (yaml_typed.go) or else from its JSON.
func (w *yamlWriter) objectYAML(o convert.Object) ([]byte, error) {
	if w.typedObject(o) == nil {
		return w.buf, nil
	}
	return w.jsonObjectYAML(o)
}

// jsonObjectYAML writes o from its JSON, with the tree writer or the map
// path: the reference the typed writer is tested against.
func (w *yamlWriter) jsonObjectYAML(o convert.Object) ([]byte, error) {
	w.js.Reset()
	if err := w.enc.Encode(o); err != nil {
		return nil, fmt.Errorf("encode %s %s: %w", convert.Kind(o), o.GetName(), err)
	}
	data := w.js.Bytes()
	if w.tree.parse(data) == nil && w.treeObject() == nil {
		return w.buf, nil
	}
	return w.mapYAML(data)
}

// yamlNumbers replaces every json.Number with the value yaml.v2 decodes
// from the same text: an int when it is one, else a float64.
func yamlNumbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			t[k] = yamlNumbers(child)
		}
	case []any:
		for i, child := range t {
			t[i] = yamlNumbers(child)
		}
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i
		}
		if f, err := strconv.ParseFloat(string(t), 64); err == nil {
			return f
		}
		return string(t)
	}
	return v
}

// ToMap converts a typed object to its JSON map, cleaned of null timestamps
// and empty status.
func ToMap(o convert.Object) (map[string]any, error) {
	data, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("encode %s %s: %w", convert.Kind(o), o.GetName(), err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	clean(m)
	return m, nil
}

// clean removes "creationTimestamp": null, status and empty specs everywhere.
func clean(v any) {
	switch t := v.(type) {
	case map[string]any:
		if ts, ok := t["creationTimestamp"]; ok && ts == nil {
			delete(t, "creationTimestamp")
		}
		if _, ok := t["status"].(map[string]any); ok {
			delete(t, "status") // manifests never carry status
		}
		for _, k := range []string{"spec", "resources"} {
			if m, ok := t[k].(map[string]any); ok && len(m) == 0 {
				delete(t, k) // an empty spec or resources says nothing
			}
		}
		for _, child := range t {
			clean(child)
		}
	case []any:
		for _, child := range t {
			clean(child)
		}
	}
}

// Stream returns every object as one YAML stream separated by "---".
func Stream(objs []convert.Object) ([]byte, error) {
	var buf bytes.Buffer
	if err := WriteStream(&buf, objs); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteStream writes the stream Stream returns to w, one object at a time,
// so a large project never sits in memory twice.
func WriteStream(w io.Writer, objs []convert.Object) error {
	if n := renderWorkers(len(objs)); n > 1 {
		return writeStreamParallel(w, objs, n)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	yw := newYAMLWriter()
	for i, o := range objs {
		y, err := yw.objectYAML(o)
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteString("---\n")
		}
		bw.Write(y)
	}
	return bw.Flush()
}

// FileName is the file an object goes to with -o DIR: its compose service,
// or "shared" for objects of the whole project.
func FileName(o convert.Object) string {
	if s := o.GetAnnotations()[convert.AnnotationService]; s != "" {
		return convert.DNSName(s) + ".yaml"
	}
	return "shared.yaml"
}

// Dir writes one file per service plus shared.yaml into dir, and removes
// the files an earlier run wrote for services that are gone (see
// pruneStale); other files are left alone. It returns the files written.
func Dir(dir string, objs []convert.Object) ([]string, error) {
	groups := map[string][]convert.Object{}
	for _, o := range objs {
		f := FileName(o)
		groups[f] = append(groups[f], o)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(groups))
	for f := range groups {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		data, err := Stream(groups[f])
		if err != nil {
			return nil, err
		}
		if err := writeFileAtomic(filepath.Join(dir, f), data); err != nil {
			return nil, err
		}
	}
	if err := pruneStale(dir, names); err != nil {
		return nil, err
	}
	return names, nil
}

// writeFileAtomic writes through a temporary file so a failure never leaves
// half a manifest behind.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// SecretsExample is a .env-style file listing every secret key with an
// empty value, for users to fill in.
func SecretsExample(b *convert.Bundle) []byte {
	var sb strings.Builder
	sb.WriteString("# Secrets of this project; berth up/promote fill them from their sources.\n")
	for _, s := range b.Secrets {
		from := "environment"
		switch {
		case s.File != "":
			from = "file " + filepath.Base(s.File)
		case s.EnvVar != "":
			from = "variable " + s.EnvVar
		}
		fmt.Fprintf(&sb, "# %s/%s (from %s)\n%s=\n", s.Secret, s.Key, from, s.Key)
	}
	return []byte(sb.String())
}
