package main

import (
	"context"
	"io"

	"berth/convert"
	"berth/promote"
	"berth/store"

	"github.com/spf13/cobra"
)

type historyOptions struct {
	project projectFlags
	limit   int
}

// NewHistoryCommand lists the project's promotions.
func NewHistoryCommand() *cobra.Command {
	o := &historyOptions{}
	cmd := &cobra.Command{
		Use:   "history [flags]",
		Short: "List the project's promotions (the audit trail of berth promote and rollback)",
		Long: `History lists every promotion of the project, newest first: its id (what
'berth rollback --to' takes), when it started, the target context, the result
(succeeded, failed, rolled-back), who ran it and a summary of what changed.`,
		Example: `  berth history
  berth history -f compose.yaml --limit 5`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd.Context(), cmd.OutOrStdout()) },
	}
	o.project.register(cmd.Flags())
	cmd.Flags().IntVar(&o.limit, "limit", 50, "show at most this many")
	return cmd
}

func (o *historyOptions) run(ctx context.Context, out io.Writer) error {
	loaded, err := o.project.load(ctx)
	if err != nil {
		return err
	}
	st, err := store.OpenDefault(ctx, store.Options{})
	if err != nil {
		return err
	}
	defer func() { _ = st.Close() }()
	list, err := st.ListPromotions(ctx, convert.DNSName(loaded.Project.Name), o.limit)
	if err != nil {
		return err
	}
	return promote.WriteHistory(out, list)
}
