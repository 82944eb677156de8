package web

import (
	"strings"
	"testing"

	"berth/localenv"
)

func TestLayoutTopologyLayers(t *testing.T) {
	snap := []localenv.ServiceStatus{{Service: "web", State: localenv.StateReady}, {Service: "api"}, {Service: "db"}, {Service: "lonely"}}
	edges := []Edge{
		{From: "web", To: "api", Why: EdgeDependsOn}, {From: "api", To: "db", Why: EdgeDependsOn},
		{From: "web", To: "db", Why: EdgeLink},
		{From: "db", To: "web", Why: EdgeNetpol},           // back edge: drawn, but must not reorder the layers
		{From: "lonely", To: "lonely", Why: EdgeDependsOn}, // a cycle must not loop forever
	}
	v := layoutTopology(snap, edges)
	col := map[string]int{}
	for _, n := range v.Nodes {
		col[n.Name] = (n.X - padding) / (nodeW + colGap)
		if n.X+n.W > v.Width || n.Y+n.H > v.Height {
			t.Errorf("node %s outside the %dx%d canvas", n.Name, v.Width, v.Height)
		}
	}
	if !(col["web"] < col["api"] && col["api"] < col["db"]) {
		t.Fatalf("columns %v: a service must sit left of what it needs", col)
	}
	if len(v.Nodes) != 4 || len(v.Edges) != 5 {
		t.Fatalf("%d nodes, %d edges", len(v.Nodes), len(v.Edges))
	}
	for _, n := range v.Nodes {
		if n.Name == "api" && n.State != "unknown" || n.Name == "web" && n.State != "ready" {
			t.Errorf("node %s state %q", n.Name, n.State)
		}
	}
	for _, e := range v.Edges {
		if !strings.HasPrefix(e.Path, "M") || e.Why == "" {
			t.Errorf("edge %+v", e)
		}
	}
}
