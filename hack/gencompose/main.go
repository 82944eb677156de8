// Command gencompose writes a synthetic compose file for benchmarks:
//
//	go run ./hack/gencompose -n 1000 -shape diamond > compose.yaml
package main

import (
	"flag"
	"fmt"
	"os"

	"berth/internal/gencompose"
)

func main() {
	n := flag.Int("n", 100, "number of services")
	shape := flag.String("shape", "chain", "dependency shape: chain or diamond")
	flag.Parse()
	if *shape != string(gencompose.Chain) && *shape != string(gencompose.Diamond) {
		fmt.Fprintln(os.Stderr, "gencompose: -shape must be chain or diamond")
		os.Exit(2)
	}
	if err := gencompose.Write(os.Stdout, *n, gencompose.Shape(*shape)); err != nil {
		fmt.Fprintln(os.Stderr, "gencompose:", err)
		os.Exit(1)
	}
}
