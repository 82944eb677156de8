package fastyaml

// arena hands out the Content slices of collections. Children are gathered
// in pending while their collection is parsed (nested collections stack
// theirs above) and moved into a large chunk when it ends, so a whole tree
// costs a few allocations instead of one per collection.
type arena struct {
	pending []Node // children of the open collections, innermost last
	free    []Node // unused tail of the current chunk
	chunk   int    // size of the next chunk
	closed  int    // children of the collections closed so far, for pushed
	copied  int    // nodes added by merges, which pushed leaves out
}

func newArena(estimate int) arena {
	// Growing pending copies it whole, which costs more than a guess of
	// its peak: the children of the open collections, at most about those
	// of the top-level "services" mapping, a small share of all nodes.
	return arena{pending: make([]Node, 0, 256+estimate/16), chunk: estimate}
}

// open starts a collection; the mark it returns is passed to close.
func (a *arena) open() int { return len(a.pending) }

func (a *arena) push(n Node) { a.pending = append(a.pending, n) }

// pushed is the number of nodes pushed so far: the nodes of the source but
// the root, for the alias limits. (Counted at close, not in push, which is
// the hot path.)
func (a *arena) pushed() int { return a.closed + len(a.pending) - a.copied }

// close ends the collection started at mark and returns its children.
func (a *arena) close(mark int) []Node {
	kids := a.pending[mark:]
	n := len(kids)
	a.closed += n
	if n > len(a.free) {
		a.free = make([]Node, max(n, a.chunk))
		a.chunk = max(a.chunk/4, 64) // the estimate was short: add a little at a time
	}
	// The capacity limit keeps an append by the caller from overwriting
	// the next collection's nodes.
	out := a.free[:n:n]
	a.free = a.free[n:]
	copy(out, kids)
	a.pending = a.pending[:mark]
	return out
}
