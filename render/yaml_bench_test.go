package render_test

import (
	"io"
	"testing"

	"berth/convert"
	"berth/render"
)

// BenchmarkFixtureObjects renders every fixture and corpus object (config
// maps with literal blocks, cron jobs with scripts): as WriteStream does
// (the typed writer), the JSON way (JSON, then the tree writer) and with
// the map path the tree writer replaced (those two sequentially: run with
// -cpu 1 to compare them).
func BenchmarkFixtureObjects(b *testing.B) {
	var objs []convert.Object
	t := &testing.T{} // allCases wants a *testing.T; it fails only when no case is found
	for _, c := range allCases(t) {
		l, err := c.load()
		if err != nil {
			b.Fatal(err)
		}
		bundle, err := convert.Convert(l.Project, l.Options())
		if err != nil {
			b.Fatal(err)
		}
		objs = append(objs, bundle.Objects...)
	}
	b.Run("tree", func(b *testing.B) {
		for range b.N {
			if err := render.WriteStream(io.Discard, objs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		for range b.N {
			if err := render.JSONWriteStream(io.Discard, objs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for range b.N {
			if err := render.OldWriteStream(io.Discard, objs); err != nil {
				b.Fatal(err)
			}
		}
	})
}
