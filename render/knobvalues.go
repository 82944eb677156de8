package render

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"berth/convert"
)

// knobField is one concrete knob field of one object.
type knobField struct {
	Key   string // readable path inside the object, the key in values.yaml
	Segs  []string
	Value any
}

// extractKnobs replaces, in the object map m, every field a knob may set by
// mark(i) and returns the fields in order. A field below one already taken
// (a knob covering a whole pod spec) is not taken twice.
func extractKnobs(kind string, m map[string]any, mark func(i int) string) []knobField {
	var out []knobField
	for _, kp := range knobPathsBroadFirst(kind) {
		replaceMatches(m, kp.Segments, nil, "", func(segs []string, display string, v any) any {
			for _, f := range out {
				if isPrefix(f.Segs, segs) || isPrefix(segs, f.Segs) {
					return v
				}
			}
			out = append(out, knobField{Key: display, Segs: segs, Value: v})
			return mark(len(out) - 1)
		})
	}
	return out
}

// knobPathsBroadFirst orders a kind's knob paths so that a path covering
// another (a whole pod spec) is taken before the paths inside it.
func knobPathsBroadFirst(kind string) []convert.KnobPath {
	paths := append([]convert.KnobPath(nil), convert.KnobPaths[kind]...)
	sort.SliceStable(paths, func(i, j int) bool { return len(paths[i].Segments) < len(paths[j].Segments) })
	return paths
}

func isPrefix(prefix, segs []string) bool {
	if len(prefix) > len(segs) {
		return false
	}
	for i := range prefix {
		if prefix[i] != segs[i] {
			return false
		}
	}
	return true
}

// replaceMatches walks node along pattern and replaces every match by what
// repl returns. It returns the (possibly replaced) node.
func replaceMatches(node any, pattern, segs []string, display string, repl func([]string, string, any) any) any {
	if len(pattern) == 0 {
		return repl(segs, display, node)
	}
	switch n := node.(type) {
	case map[string]any:
		for _, k := range sortedKeys(n) {
			if ok, _ := path.Match(pattern[0], k); ok {
				n[k] = replaceMatches(n[k], pattern[1:], append(segs[:len(segs):len(segs)], k), joinKey(display, k), repl)
			}
		}
	case []any:
		_, named := itemNames(n)
		for i, item := range n {
			seg := strconv.Itoa(i)
			if named {
				seg = nameOf(item)
			}
			if ok, _ := path.Match(pattern[0], seg); ok {
				n[i] = replaceMatches(item, pattern[1:], append(segs[:len(segs):len(segs)], seg), display+"["+seg+"]", repl)
			}
		}
	}
	return node
}

func nameOf(item any) string {
	m, _ := item.(map[string]any)
	s, _ := m["name"].(string)
	return s
}

func sortedKeys(m map[string]any) []string {
	set := make(map[string]bool, len(m))
	for k := range m {
		set[k] = true
	}
	return sortedSet(set)
}

// objectKey names an object in values.yaml: "deployment-web".
func objectKey(kind, name string) string {
	return strings.ToLower(kind) + "-" + name
}
