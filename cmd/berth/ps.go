package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"berth/localenv"

	"github.com/spf13/cobra"
)

// NewPsCommand lists the project's services and their state.
func NewPsCommand() *cobra.Command {
	o := &localFlags{}
	cmd := &cobra.Command{
		Use:     "ps [flags]",
		Aliases: []string{"status"},
		Short:   "List the project's services with their state, replicas, restarts and URLs",
		Example: `  berth ps
  berth status --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pub := localenv.NewPublisher()
			s, err := localenv.Open(cmd.Context(), o.upOptions(), pub)
			if err != nil {
				return err
			}
			sts, err := s.Status(cmd.Context())
			if err != nil {
				return err
			}
			if o.output == "json" {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(sts)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SERVICE\tSTATE\tREADY\tRESTARTS\tIMAGE\tURLS\tREASON")
			for _, st := range sts {
				fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%d\t%s\t%s\t%s\n", st.Service, st.State, st.Ready, st.Desired, st.Restarts, st.Image, strings.Join(st.URLs, " "), st.Reason)
			}
			if d, err := localenv.ReadDaemon(s.Project); err == nil {
				fmt.Fprintf(tw, "\nports forwarded by background process %d (log: %s)\n", d.PID, localenv.LogPath(s.Project))
			}
			return tw.Flush()
		},
	}
	o.register(cmd.Flags(), "cluster")
	return cmd
}
