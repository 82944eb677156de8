package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"berth/convert"
	"berth/promote"
	"berth/store"

	"github.com/spf13/cobra"
)

type rollbackOptions struct {
	project    projectFlags
	opts       promote.RollbackOptions
	kubeconfig string
	yes        bool
}

// NewRollbackCommand re-applies a recorded promotion.
func NewRollbackCommand() *cobra.Command {
	o := &rollbackOptions{}
	cmd := &cobra.Command{
		Use:   "rollback [--to N] [flags]",
		Short: "Re-apply an earlier promotion (default: the previous successful one)",
		Long: `Rollback re-applies the manifests a promotion recorded, waits for the workloads and
prunes the project's objects they do not have (never volumes). Without --to it goes back
to the successful promotion before the latest successful one on the same context. Secret
values are never recorded, so Secrets stay as they are live. The rollback is recorded
in the history like a promotion.`,
		Example: `  berth rollback              # to the previous successful promotion
  berth rollback --to 12 --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd.Context(), cmd.OutOrStdout()) },
	}
	fs := cmd.Flags()
	o.project.register(fs)
	fs.Int64Var(&o.opts.To, "to", 0, "promotion id to roll back to (see berth history)")
	fs.StringVar(&o.opts.Context, "context", "", "kubeconfig context (default: the promotion's)")
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
	fs.BoolVarP(&o.yes, "yes", "y", false, "do not ask for confirmation")
	fs.DurationVar(&o.opts.Timeout, "timeout", 5*time.Minute, "how long to wait for the workloads")
	return cmd
}

func (o *rollbackOptions) run(ctx context.Context, out io.Writer) error {
	loaded, err := o.project.load(ctx)
	if err != nil {
		return err
	}
	st, err := store.OpenDefault(ctx, store.Options{})
	if err != nil {
		return err
	}
	defer func() { _ = st.Close() }()
	o.opts.Store, o.opts.Kubeconfig, o.opts.Out = st, o.kubeconfig, out
	o.opts.Project = convert.DNSName(loaded.Project.Name)
	o.opts.Confirm = func(target store.Promotion, _ store.DiffSummary) (bool, error) {
		return confirm(o.yes, fmt.Sprintf("roll back to promotion %d?", target.ID))
	}
	_, err = promote.Rollback(ctx, o.opts)
	return err
}
