package main

import (
	"errors"
	"fmt"
	"strings"

	"berth/convert"
	"berth/render"

	"github.com/spf13/cobra"
)

// errNotKnob is returned by `berth diff --check` when environments differ
// outside their knobs.
var errNotKnob = errors.New("environments differ outside their knobs")

type diffOptions struct {
	project projectFlags
	check   bool
}

// NewDiffCommand prints how two environments' renders differ.
func NewDiffCommand() *cobra.Command {
	o := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff [flags] [ENV_A ENV_B]",
		Short: "Show how two environments' manifests differ (default: local prod)",
		Long: `Diff converts the compose project for two environments and prints, object by object
and field by field, where the manifests differ. Environments may differ only in their
knobs (replicas, resources, storage, exposure, host names, images, backups, logs,
metrics); each changed field is shown with the knob that sets it, and --check fails
when any difference is not a knob.`,
		Example: `  berth diff                       # local vs prod
  berth diff -f compose.yaml prod staging
  berth diff --check               # exit 1 if anything but knobs differs`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 0 && len(args) != 2 {
				return fmt.Errorf("give two environments, or none for local and prod")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"local", "prod"}
			}
			return o.run(cmd, args[0], args[1])
		},
	}
	o.project.register(cmd.Flags())
	cmd.Flags().BoolVar(&o.check, "check", false, "fail when the environments differ in anything but their knobs")
	return cmd
}

func (o *diffOptions) run(cmd *cobra.Command, envA, envB string) error {
	loaded, err := o.project.loadToRender(cmd.Context())
	if err != nil {
		return err
	}
	renders := make([]*convert.Bundle, 2)
	base := renderOptions(loaded)
	for i, env := range []string{envA, envB} {
		opts := base
		opts.Env = env
		if renders[i], err = convert.Convert(loaded.Project, opts); err != nil {
			return err
		}
	}
	diffs, err := render.Diff(renders[0].Objects, renders[1].Objects)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	render.WriteDiff(out, envA, envB, diffs)
	violations := render.KnobViolations(diffs)
	if len(violations) == 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "berth: %d objects differ, only in knobs\n", len(diffs))
		return nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "not knobs:\n  %s\n", strings.Join(violations, "\n  "))
	if o.check {
		return fmt.Errorf("%w: %d fields", errNotKnob, len(violations))
	}
	return nil
}
