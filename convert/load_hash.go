package convert

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
)

// composeHash hashes the loaded model with the project directory made
// relative, so the same project hashes the same on every machine. The
// model is hashed as JSON (sorted keys, so deterministic): a tenth of the
// cost of compose-go's YAML encoding.
func composeHash(p *types.Project) string {
	data, err := projectJSON(p)
	if err != nil {
		return ""
	}
	if dir, err := json.Marshal(p.WorkingDir); err == nil && len(dir) > 2 {
		data = replaceShorter(data, dir[1:len(dir)-1], []byte("."))
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:16]
}

// replaceShorter is bytes.ReplaceAll for a replacement no longer than what
// it replaces, done in place (the model's JSON is megabytes for a large
// project, and the project directory is in every path).
func replaceShorter(data, old, new []byte) []byte {
	if len(old) == 0 || len(new) > len(old) {
		return bytes.ReplaceAll(data, old, new)
	}
	out := data[:0]
	for {
		i := bytes.Index(data, old)
		if i < 0 {
			return append(out, data...)
		}
		out = append(append(out, data[:i]...), new...)
		data = data[i+len(old):]
	}
}

// parallelHashServices is where encoding the services on every CPU starts
// to pay (a 1,000-service model takes about 11 ms to encode on one).
const parallelHashServices = 64

// projectJSON is json.Marshal(p), byte for byte; a large project has its
// services encoded on every CPU and spliced in where encoding/json puts
// them: right after the name, as a map in sorted key order.
// TestProjectJSONIsMarshal holds it to json.Marshal.
func projectJSON(p *types.Project) ([]byte, error) {
	if len(p.Services) < parallelHashServices {
		return json.Marshal(p)
	}
	return splicedProjectJSON(p)
}

func splicedProjectJSON(p *types.Project) ([]byte, error) {
	rest := *p
	rest.Services = nil
	head, err := json.Marshal(&rest)
	if err != nil {
		return nil, err
	}
	name, err := json.Marshal(p.Name)
	if err != nil {
		return nil, err
	}
	prefix := append(append([]byte(`{"name":`), name...), `,"services":null`...)
	if !bytes.HasPrefix(head, prefix) {
		return json.Marshal(p)
	}
	parts, err := servicesJSON(p.Services)
	if err != nil {
		return nil, err
	}
	size := len(head) + 2
	for _, part := range parts {
		size += len(part) + 1
	}
	out := make([]byte, 0, size)
	out = append(out, prefix[:len(prefix)-len("null")]...)
	out = append(out, '{')
	for i, part := range parts {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, part...)
	}
	out = append(out, '}')
	return append(out, head[len(prefix):]...), nil
}

// servicesJSON encodes each service as encoding/json encodes an entry of
// the map (`"name":{...}`), in the map's sorted key order.
func servicesJSON(services types.Services) ([][]byte, error) {
	names := sortedKeys(services)
	parts := make([][]byte, len(names))
	errs := make([]error, len(names))
	tree.OnEveryCPU(len(names), func(i int) {
		key, err := json.Marshal(names[i])
		if err != nil {
			errs[i] = err
			return
		}
		value, err := json.Marshal(services[names[i]])
		parts[i], errs[i] = append(append(key, ':'), value...), err
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return parts, nil
}
