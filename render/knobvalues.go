package render

import (
	"sort"

	"berth/convert"
)

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
