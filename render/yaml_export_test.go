package render

import (
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
	for i, o := range objs {
		data, err := json.Marshal(o)
		if err != nil {
			return err
		}
		y, err := w.mapYAML(data)
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
