package fastyaml

import "strconv"

// Kind is the kind of a node.
type Kind uint8

const (
	Scalar Kind = iota + 1
	Mapping
	Sequence
)

// Tag is the resolved type of a scalar, as yaml.v4 resolves it.
type Tag uint8

const (
	Str Tag = iota + 1
	Int
	Float
	Bool
	Null

	// mergeKey is a plain "<<" while it is scanned; it never reaches the
	// tree (only a mapping key may be one, and merging removes it).
	mergeKey
)

// Node is a parsed YAML node.
//
// For scalars, Value is the text after unquoting and folding. Its meaning by
// Tag:
//   - Str: the string;
//   - Int: the number in decimal ("42", "-7"; "0440" gives "288", "0x1F"
//     "31"), for strconv.Atoi;
//   - Float: the source text when it is written as digits, a dot and digits
//     ("0.5", "-1.25"), else Go's shortest form ("1e3" gives "1000", ".5"
//     "0.5", "-0" "-0"); strconv.ParseFloat gives yaml.v4's float64;
//   - Bool: the source spelling: true, True, TRUE, false, False or FALSE;
//   - Null: the source spelling: "" (empty value), "~", null, Null or NULL.
type Node struct {
	Kind     Kind
	Tag      Tag    // scalars only
	alias    bool   // a copy made for an alias; its Content is shared with the anchored node
	anchored bool   // has an anchor: a second one, on the next line, is not YAML
	Value    string // scalars only, see above
	Line     int    // 1-based line of the node's first character (see doc.go for anchors and aliases); for an empty value, of its ':' or '-'

	Content []Node // Mapping: key, value, key, value, ...; Sequence: items
}

// Any converts the node to what yaml.v4 gives when decoding into `any`:
// map[string]any, []any, string, int, float64, bool or nil.
func (n *Node) Any() any {
	switch n.Kind {
	case Mapping:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = n.Content[i+1].Any()
		}
		return m
	case Sequence:
		items := make([]any, len(n.Content))
		for i := range n.Content {
			items[i] = n.Content[i].Any()
		}
		return items
	}
	return n.scalarAny()
}

func (n *Node) scalarAny() any {
	switch n.Tag {
	case Int:
		v, _ := strconv.Atoi(n.Value)
		return v
	case Float:
		v, _ := strconv.ParseFloat(n.Value, 64)
		return v
	case Bool:
		return n.Value[0] == 't' || n.Value[0] == 'T'
	case Null:
		return nil
	}
	return n.Value
}
