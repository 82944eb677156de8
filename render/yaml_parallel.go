package render

import (
	"bufio"
	"io"
	"runtime"
	"sync"

	"berth/convert"
)

// Objects rendered together by one worker, and the fewest objects worth
// rendering in parallel: below that the goroutines cost more than they save.
const (
	parallelChunk = 64
	parallelMin   = 4 * parallelChunk
)

// A renderedChunk is its objects' YAML, each after a "---\n" (the
// stream's first one is not written).
type renderedChunk struct {
	yaml []byte
	err  error
}

// writeStreamParallel renders chunks of objects on every CPU, each worker
// with its own yamlWriter (its scalar cache is not shared), and writes them
// in order, so the stream is byte-identical to the sequential one. At most
// two chunks per worker are in flight, so memory stays bounded.
func writeStreamParallel(w io.Writer, objs []convert.Object, workers int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var chunks []chan renderedChunk
	for start := 0; start < len(objs); start += parallelChunk {
		chunks = append(chunks, make(chan renderedChunk, 1))
	}
	work := make(chan int)
	for range workers {
		go func() {
			yw := newYAMLWriter()
			for i := range work {
				chunks[i] <- renderChunk(yw, objs[i*parallelChunk:min(len(objs), (i+1)*parallelChunk)])
			}
		}()
	}
	inFlight := min(len(chunks), 2*workers)
	for i := range inFlight {
		work <- i
	}
	next := inFlight
	defer close(work)
	for i, ch := range chunks {
		c := <-ch
		if c.err != nil {
			drain(chunks[i+1 : next])
			return c.err
		}
		if next < len(chunks) {
			work <- next
			next++
		}
		y := c.yaml
		if i == 0 {
			y = y[len(streamSeparator):]
		}
		_, _ = bw.Write(y)
		chunkBuffers.Put(&c.yaml)
	}
	return bw.Flush()
}

// drain waits for chunks already handed to workers, so none is left
// blocked when an error ends the stream early.
func drain(chunks []chan renderedChunk) {
	for _, ch := range chunks {
		<-ch
	}
}

const streamSeparator = "---\n"

// chunkBuffers keeps the buffers of written chunks for the next ones; at
// most two per worker are in use at once.
var chunkBuffers = sync.Pool{New: func() any { return new([]byte) }}

func renderChunk(yw *yamlWriter, objs []convert.Object) renderedChunk {
	out := (*chunkBuffers.Get().(*[]byte))[:0]
	for _, o := range objs {
		y, err := yw.objectYAML(o)
		if err != nil {
			return renderedChunk{err: err}
		}
		out = append(out, streamSeparator...)
		out = append(out, y...)
	}
	return renderedChunk{yaml: out}
}

// renderWorkers is how many goroutines render a stream of n objects (1:
// sequentially).
func renderWorkers(n int) int {
	if n < parallelMin {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}
