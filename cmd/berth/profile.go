package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// startProfile writes a CPU profile of the whole process to the file named
// by BERTH_CPUPROFILE, and an execution trace (which goroutine ran when, on
// which CPU; `go tool trace`) to the file named by BERTH_TRACE, for `make
// bench` investigations: the benchmarks in convert/ miss the process start
// and the output. It returns the function that stops them.
func startProfile() func() {
	stopCPU := startOutput("BERTH_CPUPROFILE", pprof.StartCPUProfile, pprof.StopCPUProfile)
	stopTrace := startOutput("BERTH_TRACE", trace.Start, trace.Stop)
	return func() {
		stopCPU()
		stopTrace()
	}
}

// startOutput starts a recording into the file named by the variable env,
// when it is set.
func startOutput(env string, start func(io.Writer) error, stop func()) func() {
	path := os.Getenv(env)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = start(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "berth: %s: %v\n", env, err)
		return func() {}
	}
	return func() {
		stop()
		f.Close()
	}
}
