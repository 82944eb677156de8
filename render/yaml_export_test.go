package render

import (
	"bytes"
	"encoding/json"
	"io"

	"berth/convert"
)

// OldObjectYAML is the map path ObjectYAML replaced, for render_test.
var OldObjectYAML = oldObjectYAML

// TreeWrites reports whether the tree writer writes o itself (else
// yaml.v2 writes it).
func TreeWrites(o convert.Object) bool {
	w := newYAMLWriter()
	w.js.Reset()
	if err := w.enc.Encode(o); err != nil {
		return false
	}
	return w.tree.parse(w.js.Bytes()) == nil && w.treeObject() == nil
}

// OldWriteStream is WriteStream as it was, sequential: one map writer
// (and its string cache) for the whole stream.
func OldWriteStream(out io.Writer, objs []convert.Object) error {
	w := newYAMLWriter()
	return writeEach(out, objs, func(o convert.Object) ([]byte, error) {
		data, err := json.Marshal(o)
		if err != nil {
			return nil, err
		}
		return w.mapYAML(data)
	})
}

// writeEach writes the YAML yamlOf gives each object, as a stream.
func writeEach(out io.Writer, objs []convert.Object, yamlOf func(convert.Object) ([]byte, error)) error {
	for i, o := range objs {
		y, err := yamlOf(o)
		if err != nil {
			return err
		}
		if i > 0 {
			_, _ = io.WriteString(out, "---\n")
		}
		_, _ = out.Write(y)
	}
	return nil
}

// TypedWrites reports whether the typed writer writes o itself (else it
// goes the JSON way).
func TypedWrites(o convert.Object) bool { return newYAMLWriter().typedObject(o) == nil }

// JSONObjectYAML is ObjectYAML the JSON way only: the typed writer's
// reference.
func JSONObjectYAML(o convert.Object) ([]byte, error) {
	y, err := newYAMLWriter().jsonObjectYAML(o)
	return bytes.Clone(y), err
}

// JSONWriteStream is WriteStream with every object written the JSON way
// (sequentially), for the benchmarks.
func JSONWriteStream(out io.Writer, objs []convert.Object) error {
	return writeEach(out, objs, newYAMLWriter().jsonObjectYAML)
}
