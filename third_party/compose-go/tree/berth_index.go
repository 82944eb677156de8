package tree

import (
	"sort"
	"strings"
)

// berth: the loader's walks looked up every node's path in maps of
// patterns by trying each pattern in turn (a map iteration and a Matches
// per pattern, per node, per walk: a tenth of the load time of a large
// file). A path only matches patterns of as many segments and with its
// last segment (or a wildcard) last, so the index tries only those.

// PatternIndex finds the value of the pattern a path matches.
type PatternIndex[T any] struct {
	bySegments []segmentPatterns[T]
}

// segmentPatterns are the patterns of one segment count, by last segment
// (a path's last key rules out most patterns), wildcards apart.
type segmentPatterns[T any] struct {
	byLast       map[string][]indexedPattern[T]
	wildcardLast []indexedPattern[T]
}

type indexedPattern[T any] struct {
	pattern Path
	value   T
}

// NewPatternIndex indexes patterns. When several match a path, the first
// in sorted order wins (upstream tried them in map order, so which one won
// was left to chance; the maps it indexes hold no two patterns that match
// one path).
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
			x.bySegments = append(x.bySegments, segmentPatterns[T]{byLast: map[string][]indexedPattern[T]{}})
		}
		e, sp := indexedPattern[T]{p, patterns[p]}, &x.bySegments[n]
		if last := lastSegment(p); last == PathMatchAll {
			sp.wildcardLast = append(sp.wildcardLast, e)
		} else {
			sp.byLast[last] = append(sp.byLast[last], e)
		}
	}
	return x
}

// Match returns the value of the first pattern, in sorted order, that p
// matches.
func (x *PatternIndex[T]) Match(p Path) (T, bool) {
	var best *indexedPattern[T]
	if n := segments(p); n < len(x.bySegments) {
		sp := &x.bySegments[n]
		best = firstMatch(p, sp.byLast[lastSegment(p)], best)
		best = firstMatch(p, sp.wildcardLast, best)
	}
	if best == nil {
		var zero T
		return zero, false
	}
	return best.value, true
}

// firstMatch returns the first of sorted candidates that p matches, or
// best when that sorts before it.
func firstMatch[T any](p Path, candidates []indexedPattern[T], best *indexedPattern[T]) *indexedPattern[T] {
	for i := range candidates {
		if best != nil && best.pattern < candidates[i].pattern {
			return best
		}
		if p.Matches(candidates[i].pattern) {
			return &candidates[i]
		}
	}
	return best
}

func segments(p Path) int { return strings.Count(string(p), pathSeparator) + 1 }

func lastSegment(p Path) string {
	s := string(p)
	return s[strings.LastIndex(s, pathSeparator)+1:]
}
