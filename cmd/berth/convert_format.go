package main

import (
	"fmt"

	"berth/convert"
	"berth/render"

	"github.com/spf13/cobra"
)

// writeFormat writes a Kustomize tree (every environment) or a Helm chart
// (one environment, prod unless --env says otherwise) into --output-dir.
func (o *convertOptions) writeFormat(cmd *cobra.Command, loaded *convert.Loaded) error {
	if o.format != "kustomize" && o.format != "helm" {
		return fmt.Errorf("--format must be yaml, kustomize or helm, not %q", o.format)
	}
	if o.outDir == "" {
		return fmt.Errorf("--format %s writes a directory: give -o DIR", o.format)
	}
	envs := []string{o.env}
	if o.format == "helm" && !cmd.Flags().Changed("env") {
		envs = []string{"prod"}
	}
	if o.format == "kustomize" {
		envs = convert.EnvironmentNames(loaded.Project.Extensions)
	}
	bundles := map[string]*convert.Bundle{}
	base := renderOptions(loaded)
	for _, env := range envs {
		opts := base
		opts.Env = env
		opts.IncludeSecretValues = o.includeSecretValues
		opts.WaitImage = o.waitImage
		b, err := convert.Convert(loaded.Project, opts)
		if err != nil {
			return fmt.Errorf("environment %s: %w", env, err)
		}
		bundles[env] = b
	}
	var files []string
	var err error
	if o.format == "helm" {
		files, err = render.Helm(o.outDir, bundles[envs[0]], render.HelmChart{AppVersion: loaded.ComposeHash})
	} else {
		files, err = render.Kustomize(o.outDir, bundles)
	}
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	fmt.Fprintf(stderr, "wrote %d files to %s (%s)\n", len(files), o.outDir, o.format)
	fmt.Fprintln(stderr, bundles[envs[0]].Report.Summary())
	return nil
}
