package tree

import (
	"sort"
	"strings"
)

// berth: the loader's walks looked up every node's path in maps of
// patterns by trying each pattern in turn (a map iteration and a Matches
// per pattern, per node, per walk: a tenth of the load time of a large
// file). A path only matches patterns of as many segments, so an index by
// segment count tries only those.

// PatternIndex finds the value of the pattern a path matches.
type PatternIndex[T any] struct {
	bySegments [][]indexedPattern[T]
}

type indexedPattern[T any] struct {
	pattern Path
	value   T
}

// NewPatternIndex indexes patterns. Patterns of one length are tried in
// sorted order (upstream tried them in map order; the maps it indexes
// hold no two patterns that match the same path).
func NewPatternIndex[T any](patterns map[Path]T) *PatternIndex[T] {
	keys := make([]Path, 0, len(patterns))
	for p := range patterns {
		keys = append(keys, p)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	x := &PatternIndex[T]{}
	for _, p := range keys {
		n := segments(p)
		for len(x.bySegments) <= n {
			x.bySegments = append(x.bySegments, nil)
		}
		x.bySegments[n] = append(x.bySegments[n], indexedPattern[T]{p, patterns[p]})
	}
	return x
}

// Match returns the value of the first pattern that p matches.
func (x *PatternIndex[T]) Match(p Path) (T, bool) {
	if n := segments(p); n < len(x.bySegments) {
		for _, e := range x.bySegments[n] {
			if p.Matches(e.pattern) {
				return e.value, true
			}
		}
	}
	var zero T
	return zero, false
}

func segments(p Path) int { return strings.Count(string(p), pathSeparator) + 1 }
