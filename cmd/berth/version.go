package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// NewVersionCommand prints berth's version and build information.
func NewVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print berth's version",
		Example: "  berth version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			commit := ""
			if info, ok := debug.ReadBuildInfo(); ok {
				for _, s := range info.Settings {
					if s.Key == "vcs.revision" {
						commit = s.Value
					}
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "berth %s", version)
			if commit != "" {
				fmt.Fprintf(cmd.OutOrStdout(), " (commit %.12s)", commit)
			}
			fmt.Fprintln(cmd.OutOrStdout())
			return nil
		},
	}
}
