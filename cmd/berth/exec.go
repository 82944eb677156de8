package main

import (
	"os"

	"berth/localenv"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

// NewExecCommand runs a command in a service's container.
func NewExecCommand() *cobra.Command {
	o := &localFlags{}
	cmd := &cobra.Command{
		Use:   "exec [flags] SERVICE -- COMMAND [ARG...]",
		Short: "Run a command in a running service's container",
		Example: `  berth exec db -- psql -U demo
  berth exec web -- sh`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			pub := localenv.NewPublisher()
			s, err := localenv.Open(cmd.Context(), o.upOptions(), pub)
			if err != nil {
				return err
			}
			tty := isatty.IsTerminal(os.Stdin.Fd()) && isatty.IsTerminal(os.Stdout.Fd())
			return s.Exec(cmd.Context(), args[0], args[1:], os.Stdin, os.Stdout, os.Stderr, tty)
		},
	}
	o.register(cmd.Flags(), "cluster")
	return cmd
}
