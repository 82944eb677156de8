// Command berth turns compose files into production Kubernetes manifests,
// runs them on a local kind cluster and promotes them to real clusters.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
)

func main() {
	tuneGC(os.Args[1:])
	stopProfile := startProfile()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := NewRootCommand().ExecuteContext(ctx)
	stop()
	stopProfile()
	if err != nil {
		var silent silentError
		if !errors.As(err, &silent) {
			fmt.Fprintf(os.Stderr, "berth: %v\n", err)
		}
		os.Exit(1)
	}
}

// silentError is an error already shown to the user.
type silentError struct{ error }

// tuneGC lets `berth convert` trade memory for time. A conversion is a
// short burst in two parts. Loading builds data that stays live (the parse
// tree, then the project), so the collections Go starts at its 4 MB
// minimum heap free almost nothing: two of them ran during the parse of a
// 1,000-service file and made it take twice as long. The load therefore
// runs with GOGC=800 (no collection below 32 MB), and what follows with
// GOGC=200: converting allocates a lot and keeps little, and collecting
// half as often as Go's default cuts its CPU time by about 10% for about
// 1 MB more at the peak. On a 1,000-service file the whole process takes
// about 15 ms less than with GOGC=200 throughout (median of 21 runs here),
// at the same peak RSS; the soft limit still caps the heap.
// GOGC or GOMEMLIMIT set by the user win. Long-running verbs (up, the
// dashboard) keep Go's defaults.
func tuneGC(args []string) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" || firstVerb(args) != "convert" {
		return
	}
	debug.SetGCPercent(800)
	debug.SetMemoryLimit(512 << 20)
	afterLoadGC = func() { debug.SetGCPercent(200) }
}

// afterLoadGC is called once the compose files are loaded (see tuneGC).
var afterLoadGC = func() {}

// firstVerb is the first argument that is not a flag.
func firstVerb(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}
