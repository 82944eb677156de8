package main

import (
	"berth/localenv"

	"github.com/spf13/cobra"
)

// NewRestartCommand restarts services with a rolling restart.
func NewRestartCommand() *cobra.Command {
	o := &localFlags{}
	cmd := &cobra.Command{
		Use:     "restart [flags] SERVICE...",
		Short:   "Restart services (a rolling restart, like kubectl rollout restart)",
		Example: "  berth restart web worker",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pub := localenv.NewPublisher()
			flush := o.printer(pub, false)
			defer flush()
			s, err := localenv.Open(cmd.Context(), o.upOptions(), pub)
			if err != nil {
				return err
			}
			return s.Restart(cmd.Context(), args...)
		},
	}
	o.register(cmd.Flags(), "cluster")
	return cmd
}
