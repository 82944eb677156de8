package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"berth/promote"
	"berth/store"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

type promoteOptions struct {
	project    projectFlags
	opts       promote.Options
	kubeconfig string
	yes        bool
}

// NewPromoteCommand rolls the project out to a real cluster.
func NewPromoteCommand() *cobra.Command {
	o := &promoteOptions{}
	cmd := &cobra.Command{
		Use:   "promote --context KUBECONTEXT [flags]",
		Short: "Roll the production manifests out to a real cluster, safely, with an audit trail",
		Long: `Promote renders the environment (default prod), pushes the images 'berth up' built to the
environment's registry and pins every image by digest, creates the namespace, and shows the
plan: a server-side dry run diffed against what is live (created, changed field by field,
pruned), and the gates' verdicts. Gates refuse, each with a flag to override:
  - the compose content and git commit were not run locally with every service ready (--allow-untested)
  - a PVC, a StatefulSet with volumes or a namespace would be deleted or replaced (--allow-data-loss)
  - the target is the local kind cluster (--allow-local-cluster)
  - a Secret the manifests use has no value in its sources nor in the target (--allow-missing-secrets)
  - an image's registry cannot be reached to pin it by digest (--allow-unpinned)
--dry-run stops after the plan and changes nothing (not even the namespace). Otherwise it asks
y/N (or --yes), applies server-side, waits for every workload, prunes what earlier promotions
created and this one no longer has, and rolls back to the previous successful promotion when
the rollout fails. Every promotion is recorded ('berth history').`,
		Example: `  berth promote --context prod-eu --dry-run
  berth promote --context prod-eu --registry ghcr.io/acme --yes
  berth promote -f compose.yaml --env staging --context staging --timeout 10m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd.Context(), cmd.OutOrStdout()) },
	}
	fs := cmd.Flags()
	o.project.register(fs)
	fs.StringVar(&o.opts.Env, "env", "prod", "environment to render")
	fs.StringVar(&o.opts.Context, "context", "", "kubeconfig context of the target cluster (required)")
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
	fs.StringVarP(&o.opts.Namespace, "namespace", "n", "", "namespace (default: the project's)")
	fs.StringVar(&o.opts.Registry, "registry", "", "registry for the images berth builds (default: the environment's registry knob)")
	fs.StringVar(&o.opts.WaitImage, "wait-image", "", "image of the init containers that wait for depends_on")
	fs.BoolVar(&o.opts.DryRun, "dry-run", false, "show the plan and the gates; change nothing")
	fs.BoolVarP(&o.yes, "yes", "y", false, "do not ask for confirmation")
	fs.BoolVar(&o.opts.Allow.DataLoss, "allow-data-loss", false, "allow deleting or replacing volumes and StatefulSets with volumes")
	fs.BoolVar(&o.opts.Allow.Untested, "allow-untested", false, "allow compose content or a commit that did not run locally with every service ready")
	fs.BoolVar(&o.opts.Allow.LocalCluster, "allow-local-cluster", false, "allow the local kind cluster as target")
	fs.BoolVar(&o.opts.Allow.MissingSecrets, "allow-missing-secrets", false, "allow Secrets without values")
	fs.BoolVar(&o.opts.Allow.Unpinned, "allow-unpinned", false, "allow images that cannot be pinned by digest")
	fs.DurationVar(&o.opts.Timeout, "timeout", 5*time.Minute, "how long to wait for the rollout before rolling back")
	_ = cmd.MarkFlagRequired("context")
	return cmd
}

func (o *promoteOptions) run(ctx context.Context, out io.Writer) error {
	st, err := store.OpenDefault(ctx, store.Options{})
	if err != nil {
		return err
	}
	defer func() { _ = st.Close() }()
	o.opts.Load = o.project.loadOptions()
	o.opts.Kubeconfig = o.kubeconfig
	o.opts.Store = st
	o.opts.Out = out
	o.opts.Confirm = func(p *promote.Plan) (bool, error) {
		return confirm(o.yes, fmt.Sprintf("promote %s to %s?", p.Project, p.Context))
	}
	res, err := promote.Promote(ctx, o.opts)
	if err == nil && res != nil && res.Plan.NothingChanges() && !o.opts.DryRun {
		fmt.Fprintln(out, "nothing to promote")
	}
	return err
}

// confirm asks a y/N question on the terminal; without one it refuses
// unless yes.
func confirm(yes bool, question string) (bool, error) {
	if yes {
		return true, nil
	}
	if !isatty.IsTerminal(os.Stdin.Fd()) {
		return false, fmt.Errorf("%w: stdin is not a terminal; pass --yes to go ahead without asking", promote.ErrNotConfirmed)
	}
	return askYes(os.Stdin, os.Stderr, question)
}

func askYes(in io.Reader, out io.Writer, question string) (bool, error) {
	fmt.Fprintf(out, "%s [y/N] ", question)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && err != io.EOF {
		return false, err
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes", nil
}
