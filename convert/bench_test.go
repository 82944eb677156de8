package convert_test

import (
	"context"
	"fmt"
	"os"
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
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := gencompose.Write(f, n, shape); err != nil {
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
