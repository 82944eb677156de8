package web

import (
	"fmt"
	"sort"

	"berth/localenv"
)

// TopologyView is the dependency graph, already laid out.
type TopologyView struct {
	Page   PageView
	Width  int
	Height int
	Nodes  []NodeView
	Edges  []EdgeView
}

// NodeView is one service box.
type NodeView struct {
	Name  string
	State string
	X, Y  int
	W, H  int
}

// EdgeView is one arrow, as an SVG path from the dependant to what it needs.
type EdgeView struct {
	From, To string
	Why      string
	Path     string
}

// Layout sizes, in SVG user units.
const (
	nodeW   = 150
	nodeH   = 44
	colGap  = 90
	rowGap  = 26
	padding = 20
)

// layoutTopology places services in layers: a service sits one column to
// the left of the deepest service it needs, so dependencies end up on the
// right and arrows point right. Only depends_on and links order the
// columns; NetworkPolicy edges are drawn but may point anywhere. A cycle is
// broken by ignoring the edge that closes it.
func layoutTopology(snap []localenv.ServiceStatus, edges []Edge) TopologyView {
	state := map[string]string{}
	for _, st := range snap {
		state[st.Service] = string(st.State)
	}
	names := nodeNames(snap, edges)
	needs := map[string][]string{}
	for _, e := range edges {
		if e.Why != EdgeNetpol { // allowed traffic can go both ways; it does not order services
			needs[e.From] = append(needs[e.From], e.To)
		}
	}
	depth := layerDepths(names, needs)
	maxDepth := 0
	for _, d := range depth {
		maxDepth = max(maxDepth, d)
	}
	// Column 0 is the deepest (most dependants); column maxDepth holds leaves.
	cols := make([][]string, maxDepth+1)
	for _, n := range names {
		col := maxDepth - depth[n]
		cols[col] = append(cols[col], n)
	}
	v := TopologyView{}
	pos := map[string]NodeView{}
	maxRows := 0
	for c, col := range cols {
		maxRows = max(maxRows, len(col))
		for r, n := range col {
			st := state[n]
			if st == "" {
				st = "unknown"
			}
			node := NodeView{Name: n, State: st, W: nodeW, H: nodeH,
				X: padding + c*(nodeW+colGap), Y: padding + r*(nodeH+rowGap)}
			pos[n] = node
			v.Nodes = append(v.Nodes, node)
		}
	}
	for _, e := range edges {
		a, b := pos[e.From], pos[e.To]
		v.Edges = append(v.Edges, EdgeView{From: e.From, To: e.To, Why: string(e.Why), Path: edgePath(a, b)})
	}
	v.Width = 2*padding + len(cols)*nodeW + max(len(cols)-1, 0)*colGap
	v.Height = 2*padding + maxRows*nodeH + max(maxRows-1, 0)*rowGap
	return v
}

// nodeNames lists every service from the snapshot and the edges, sorted.
func nodeNames(snap []localenv.ServiceStatus, edges []Edge) []string {
	seen := map[string]bool{}
	for _, st := range snap {
		seen[st.Service] = true
	}
	for _, e := range edges {
		seen[e.From], seen[e.To] = true, true
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// layerDepths returns, per service, the length of the longest chain of
// needs below it (0 for a service that needs nothing).
func layerDepths(names []string, needs map[string][]string) map[string]int {
	depth := map[string]int{}
	visiting := map[string]bool{}
	var visit func(n string) int
	visit = func(n string) int {
		if d, ok := depth[n]; ok {
			return d
		}
		if visiting[n] {
			return -1 // closes a cycle: ignore this edge
		}
		visiting[n] = true
		d := 0
		for _, m := range needs[n] {
			d = max(d, visit(m)+1)
		}
		visiting[n] = false
		depth[n] = d
		return d
	}
	for _, n := range names {
		visit(n)
	}
	return depth
}

// edgePath draws a curve from the right side of a to the left side of b,
// or a loop-back curve when b is not to the right of a.
func edgePath(a, b NodeView) string {
	x1, y1 := a.X+a.W, a.Y+a.H/2
	x2, y2 := b.X, b.Y+b.H/2
	if x2 <= x1 {
		// Same column or backwards: go out right and come back in from the right of b.
		x2 = b.X + b.W
		bend := max(x1, x2) + colGap/2
		return fmt.Sprintf("M%d %d C%d %d %d %d %d %d", x1, y1, bend, y1, bend, y2, x2, y2)
	}
	if x2-x1 > colGap {
		// Skips a column: arc over the top row instead of through the boxes between.
		top := padding / 3
		return fmt.Sprintf("M%d %d C%d %d %d %d %d %d", x1, y1, x1+colGap, top, x2-colGap, top, x2, y2)
	}
	mid := (x1 + x2) / 2
	return fmt.Sprintf("M%d %d C%d %d %d %d %d %d", x1, y1, mid, y1, mid, y2, x2, y2)
}
