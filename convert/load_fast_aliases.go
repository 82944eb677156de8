package convert

import (
	"sort"

	"berth/convert/internal/fastyaml"
)

// aliasesCompose reports whether compose-go accepts the file's aliases.
// Its reset processor refuses two aliases of one anchor when one's path
// lies inside the other's, unless they are in different services (it takes
// that for a cycle; yaml.v4 does not). Rather than follow paths, this is
// stricter: no anchor may be used twice within one service, nor twice
// under one other top-level key. Paths that do not share the top-level key
// (and, under services, the service) cannot lie inside each other.
func aliasesCompose(root *fastyaml.Node, aliases []fastyaml.AliasUse) bool {
	if len(aliases) < 2 {
		return true
	}
	regions, ok := aliasRegions(root)
	if !ok {
		return false
	}
	seen := map[[2]int]bool{}
	for _, a := range aliases {
		// the last region starting at or before the alias's line
		i := sort.Search(len(regions), func(i int) bool { return regions[i] > a.Line }) - 1
		key := [2]int{a.Anchor, i}
		if seen[key] {
			return false
		}
		seen[key] = true
	}
	return true
}

// aliasRegions returns the first lines of the top-level entries, with each
// service an entry of its own, in order; ok is false when two start on one
// line (a flow mapping), which lines cannot tell apart.
func aliasRegions(root *fastyaml.Node) (starts []int, ok bool) {
	add := func(line int) bool {
		if len(starts) > 0 && line <= starts[len(starts)-1] {
			return false
		}
		starts = append(starts, line)
		return true
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := &root.Content[i], &root.Content[i+1]
		if !add(key.Line) {
			return nil, false
		}
		if key.Value != "services" || value.Kind != fastyaml.Mapping {
			continue
		}
		for j := 0; j+1 < len(value.Content); j += 2 {
			if !add(value.Content[j].Line) {
				return nil, false
			}
		}
	}
	return starts, true
}
