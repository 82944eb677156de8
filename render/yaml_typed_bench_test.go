package render

import (
	"io"
	"syscall"
	"testing"
	"time"

	"berth/convert"
)

// BenchmarkGeneratedStream renders a generated 1,000-service project
// (about 4.5 MB of YAML): the stream as berth writes it, and sequentially
// with the typed writer and with the JSON way it replaced. cpu-ns/op is
// the process's CPU time, steadier than ns/op on a busy machine.
func BenchmarkGeneratedStream(b *testing.B) {
	objs := generatedObjects(b, 1000)
	b.Run("stream", func(b *testing.B) {
		benchCPU(b, func() error { return WriteStream(io.Discard, objs) })
	})
	b.Run("typed", func(b *testing.B) {
		benchCPU(b, func() error { return sequentialStream(objs, (*yamlWriter).objectYAML) })
	})
	b.Run("json", func(b *testing.B) {
		benchCPU(b, func() error { return sequentialStream(objs, (*yamlWriter).jsonObjectYAML) })
	})
}

func sequentialStream(objs []convert.Object, write func(*yamlWriter, convert.Object) ([]byte, error)) error {
	w := newYAMLWriter()
	for _, o := range objs {
		if _, err := write(w, o); err != nil {
			return err
		}
	}
	return nil
}

// benchCPU runs render b.N times and reports the CPU time it took.
func benchCPU(b *testing.B, render func() error) {
	b.ReportAllocs()
	start := cpuTime()
	for range b.N {
		if err := render(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
