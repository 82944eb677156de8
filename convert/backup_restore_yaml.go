package convert

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	yamlv2 "go.yaml.in/yaml/v2"
	"sigs.k8s.io/yaml"
)

// marshalJob returns what sigs.k8s.io/yaml.Marshal returns for v (the
// restore Job stored as text), at half the cost. That Marshal is
// json.Marshal, then yaml.v2.Unmarshal of the JSON into an interface{},
// then yaml.v2.Marshal of that tree; parsing the JSON as YAML was half of a
// database-heavy conversion (about 0.3 ms per database). Here
// encoding/json decodes the JSON instead, and the tree is given the types
// yaml.v2 would have given it (map[interface{}]interface{}, int), so the
// same yaml.v2.Marshal writes the same bytes. Input where the YAML parser
// could read the JSON differently from encoding/json goes the original way.
func marshalJob(v any) ([]byte, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return yaml.Marshal(v) // its error
	}
	if tree, ok := yamlTreeOf(j); ok {
		return yamlv2.Marshal(tree)
	}
	return yaml.JSONToYAML(j)
}

// yamlTreeOf decodes j into the tree yaml.v2.Unmarshal would make of it,
// or reports that it cannot be sure to.
func yamlTreeOf(j []byte) (any, bool) {
	if !yamlReadsAsJSON(j) {
		return nil, false
	}
	d := json.NewDecoder(bytes.NewReader(j))
	d.UseNumber()
	var tree any
	if err := d.Decode(&tree); err != nil {
		return nil, false
	}
	return asYAMLTree(tree)
}

// yamlReadsAsJSON reports whether j holds only characters the YAML parser
// reads as encoding/json does. It refuses what yaml.v2's reader rejects
// (DEL, C1 controls, U+FFFE/U+FFFF, invalid UTF-8) and the YAML 1.1 line
// breaks NEL, LS and PS, which it would fold inside a quoted string;
// json.Marshal escapes every other control character.
func yamlReadsAsJSON(j []byte) bool {
	for i := 0; i < len(j); {
		b := j[i]
		if b < utf8.RuneSelf {
			if b < 0x20 || b == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(j[i:])
		switch {
		case r == utf8.RuneError && n == 1, r < 0xa0, r == 0x2028, r == 0x2029,
			r > 0xd7ff && r < 0xe000, r == 0xfffe, r == 0xffff:
			return false
		}
		i += n
	}
	return true
}

// maxKeyLen bounds the keys of the fast path: the YAML scanner stops
// seeing a key longer than 1,024 characters as a key, encoding/json does not.
const maxKeyLen = 128

// asYAMLTree converts what encoding/json decoded (with UseNumber) into what
// yaml.v2 decodes the same JSON into: maps keyed by interface{}, integers as
// int (int64 beyond int). It refuses other numbers (floats, which yaml.v2
// resolves by its own rules) and long keys.
func asYAMLTree(v any) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[interface{}]interface{}, len(t))
		for k, e := range t {
			c, ok := asYAMLTree(e)
			if !ok || len(k) > maxKeyLen {
				return nil, false
			}
			m[k] = c
		}
		return m, true
	case []any:
		for i, e := range t {
			c, ok := asYAMLTree(e)
			if !ok {
				return nil, false
			}
			t[i] = c
		}
		return t, true
	case json.Number:
		n, err := strconv.ParseInt(string(t), 10, 64)
		if err != nil {
			return nil, false
		}
		if n == int64(int(n)) {
			return int(n), true
		}
		return n, true
	}
	return v, true // string, bool, nil
}
