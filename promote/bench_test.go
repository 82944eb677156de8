package promote

import (
	"context"
	"testing"
)

// BenchmarkPlan20Services measures a plan (render, pin, server-side dry run
// and diff of every object, prune candidates, gates) of a 24-service app
// (20 generated plus web, api, worker, db) that is already promoted, against
// the test control plane. Goal: under 5 s. Skipped without the control plane.
func BenchmarkPlan20Services(b *testing.B) {
	e := newE2E(b)
	e.write(composeVars{LogLevel: "info", APIFlag: "a", WithDB: true, Services: 20}, false)
	e.seedImages()
	if _, err := e.promote(nil); err != nil {
		b.Fatal(err)
	}
	e.write(composeVars{LogLevel: "debug", APIFlag: "a", WithDB: true, Services: 20}, false)
	objects := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := e.options()
		o.DryRun = true
		p, err := MakePlan(context.Background(), &o)
		if err != nil {
			b.Fatal(err)
		}
		if _, changed, _ := p.Counts(); changed != 1 || len(p.Objects) < 70 {
			b.Fatalf("%d objects, %d changed; want web changed among 70+", len(p.Objects), changed)
		}
		objects = len(p.Objects)
	}
	b.ReportMetric(float64(objects), "objects")
}
