package render

import "berth/convert"

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
