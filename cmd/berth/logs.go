package main

import (
	"time"

	"berth/localenv"

	"github.com/spf13/cobra"
)

type logsOptions struct {
	local  localFlags
	follow bool
	since  time.Duration
	tail   int64
}

// NewLogsCommand prints the services' logs.
func NewLogsCommand() *cobra.Command {
	o := &logsOptions{}
	cmd := &cobra.Command{
		Use:   "logs [flags] [SERVICE...]",
		Short: "Print the services' logs (and keep following them with --follow)",
		Long: `Logs prints the log lines of every service (or the ones named), prefixed with the service
name like compose, and exits; --follow keeps streaming, across restarts and new pods.
--follow is long-only: -f names the compose file on every berth verb.`,
		Example: `  berth logs
  berth logs web --tail 50
  berth logs --follow --since 10m worker`,
		RunE: func(cmd *cobra.Command, args []string) error {
			pub := localenv.NewPublisher()
			flush := o.local.printer(pub, true)
			defer flush()
			s, err := localenv.Open(cmd.Context(), o.local.upOptions(), pub)
			if err != nil {
				return err
			}
			return s.StreamLogs(cmd.Context(), localenv.LogOptions{Follow: o.follow, Since: o.since, TailLines: o.tail, Services: args})
		},
	}
	o.local.register(cmd.Flags(), "cluster")
	cmd.Flags().BoolVar(&o.follow, "follow", false, "keep streaming new lines")
	cmd.Flags().DurationVar(&o.since, "since", 0, "only lines newer than this, e.g. 10m")
	cmd.Flags().Int64Var(&o.tail, "tail", 0, "only the last N lines of each container (0: all)")
	return cmd
}
