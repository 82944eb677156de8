package convert_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"berth/convert"
	"berth/internal/gencompose"
	"berth/render"
)

// writeGenerated writes a generated compose file into dir and returns its path.
func writeGenerated(tb testing.TB, dir string, n int, shape gencompose.Shape) string {
	tb.Helper()
	path := filepath.Join(dir, "compose.yaml")
	if err := gencompose.WriteFile(path, n, shape); err != nil {
		tb.Fatal(err)
	}
	return path
}

// loadConvertRender is what `berth convert -f file` does.
func loadConvertRender(tb testing.TB, path string) int {
	tb.Helper()
	l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{path}, Environ: []string{}})
	if err != nil {
		tb.Fatal(err)
	}
	b, err := convert.Convert(l.Project, l.Options())
	if err != nil {
		tb.Fatal(err)
	}
	out, err := render.Stream(b.Objects)
	if err != nil {
		tb.Fatal(err)
	}
	return len(out)
}

// BenchmarkLoadConvert measures load + convert + render over generated
// files of 10 to 5,000 services, in a chain and in the diamond shape on
// which compose-go's own cycle check is exponential.
func BenchmarkLoadConvert(b *testing.B) {
	for _, shape := range []gencompose.Shape{gencompose.Chain, gencompose.Diamond} {
		for _, n := range []int{10, 100, 1000, 5000} {
			b.Run(fmt.Sprintf("%s-%d", shape, n), func(b *testing.B) {
				path := writeGenerated(b, b.TempDir(), n, shape)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					loadConvertRender(b, path)
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/service")
			})
		}
	}
}

// TestLoadDiamondIsFast guards the linear cycle check: 300 services in the
// diamond shape (compose-go's own check takes about 58 s for 200 and grows
// exponentially) load and convert in a second or two, even on a busy machine.
func TestLoadDiamondIsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	path := writeGenerated(t, t.TempDir(), 300, gencompose.Diamond)
	start := time.Now()
	loadConvertRender(t, path)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("300-service diamond took %v; the cycle check must be linear", d)
	}
}

// BenchmarkStages measures load, convert and render apart on a 2,000-service
// chain, so a profile (-cpuprofile) shows which one grows.
func BenchmarkStages(b *testing.B) {
	path := writeGenerated(b, b.TempDir(), 2000, gencompose.Chain)
	load := func() *convert.Loaded {
		l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{path}, Environ: []string{}})
		if err != nil {
			b.Fatal(err)
		}
		return l
	}
	l := load()
	bundle, err := convert.Convert(l.Project, l.Options())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("load", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			load()
		}
	})
	b.Run("convert", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := convert.Convert(l.Project, l.Options()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("render", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := render.WriteStream(io.Discard, bundle.Objects); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkConvert measures Convert alone on 2,000 services of each shape:
// the diamond's extra edges reach the network policies and init containers.
func BenchmarkConvert(b *testing.B) {
	for _, shape := range []gencompose.Shape{gencompose.Chain, gencompose.Diamond} {
		b.Run(string(shape), func(b *testing.B) {
			path := writeGenerated(b, b.TempDir(), 2000, shape)
			l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{path}, Environ: []string{}})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := convert.Convert(l.Project, l.Options()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
