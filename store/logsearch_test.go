package store

import (
	"context"
	"strings"
	"testing"
)

// Memory stays bounded only if no page query sorts every matching line first.
// SQLite reports such a sort as "USE TEMP B-TREE FOR ORDER BY".
func TestLogQueriesNeverSortAllLines(t *testing.T) {
	t.Parallel()
	s := openTest(t, Options{})
	appendAll(t, s, makeLines("p", "web", "GET", fixedTime, 0, 100), 100)
	queries := []LogQuery{
		{Project: "p", Text: "GET", BeforeID: 5},
		{Project: "p", Text: "GET", AfterID: 5},
		{Project: "p", Services: []string{"web"}},
		{Project: "p", Services: []string{"web"}, AfterID: 3},
		{Project: "p"},
		{Project: "p", AfterID: 3},
		{Project: "p", Services: []string{"a", "b"}, BeforeID: 9, Regex: "x"},
	}
	for _, q := range queries {
		query, args, err := buildLogQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.reader.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, append(args, 10)...)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("query %+v sorts all matches: %s", q, p)
		}
	}
}
