// Command berth turns compose files into production Kubernetes manifests,
// runs them on a local kind cluster and promotes them to real clusters.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := NewRootCommand().ExecuteContext(ctx)
	stop()
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
