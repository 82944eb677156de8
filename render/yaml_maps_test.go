package render

import (
	"encoding/json"
	"fmt"

	"berth/convert"
)

// oldObjectYAML is ObjectYAML as it was before the tree writer: JSON,
// decoded into a map, written by the map writer or else yaml.v2. The tree
// writer is compared with it.
func oldObjectYAML(o convert.Object) ([]byte, error) {
	data, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("encode %s %s: %w", convert.Kind(o), o.GetName(), err)
	}
	return oldFromJSON(data)
}

// oldFromJSON is the map path alone, on JSON bytes.
func oldFromJSON(data []byte) ([]byte, error) { return newYAMLWriter().mapYAML(data) }
