package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"berth/convert"
	"berth/render"

	"github.com/spf13/cobra"
)

type convertOptions struct {
	project             projectFlags
	outDir              string
	report              string
	env                 string
	includeSecretValues bool
	waitImage           string
	format              string
}

// NewConvertCommand converts compose files to Kubernetes manifests.
func NewConvertCommand() *cobra.Command {
	o := &convertOptions{}
	cmd := &cobra.Command{
		Use:   "convert [flags]",
		Short: "Convert compose files to production Kubernetes manifests",
		Long: `Convert loads compose files exactly like 'docker compose' (multiple -f files, extends,
include, .env, env_file, interpolation, profiles) and prints production Kubernetes
manifests: Deployments, StatefulSets for data, Jobs for one-shot tasks, Services that keep
compose names resolvable, probes from healthchecks, init containers for depends_on,
Secrets for secret-looking variables and compose secrets, ConfigMaps and PVCs.

Secret values are never printed unless --include-secret-values is given: 'berth up'
and 'berth promote' fill them from their sources.

Every compose key is reported as mapped, approximated or dropped: one summary line on
stderr by default, --report=text for the details, --report=json for tools.`,
		Example: `  berth convert                                  # compose.yaml in this directory → YAML on stdout
  berth convert -f compose.yaml -f compose.prod.yaml -o k8s/
  berth convert --profile debug --env-file .env.staging
  berth convert --format kustomize -o deploy/     # base/ + overlays/local, overlays/prod, ...
  berth convert --format helm -o chart/          # helm template chart/ == berth convert --env prod
  berth convert --report=json | jq '.entries[] | select(.status=="dropped")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd)
		},
	}
	o.project.register(cmd.Flags())
	cmd.Flags().StringVarP(&o.outDir, "output-dir", "o", "", "write one file per service plus shared.yaml into this directory")
	cmd.Flags().StringVar(&o.report, "report", "", "print the conversion report: text (on stderr) or json (on stdout, instead of manifests)")
	cmd.Flags().StringVar(&o.env, "env", "local", "environment to render (local, prod, or one declared in x-berth.environments)")
	cmd.Flags().BoolVar(&o.includeSecretValues, "include-secret-values", false, "print Secret values in the manifests (careful: they end up wherever the output goes)")
	cmd.Flags().StringVar(&o.format, "format", "yaml", "output format: yaml, kustomize (base + overlays per environment, needs -o) or helm (chart of --env, default prod, needs -o)")
	cmd.Flags().StringVar(&o.waitImage, "wait-image", convert.DefaultWaitImage, "image of the init containers that wait for depends_on")
	return cmd
}

func (o *convertOptions) run(cmd *cobra.Command) error {
	if o.report != "" && o.report != "text" && o.report != "json" {
		return fmt.Errorf("--report must be text or json, not %q", o.report)
	}
	loaded, err := o.project.loadToRender(cmd.Context())
	afterLoadGC()
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	for _, w := range loaded.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	if o.format != "yaml" {
		return o.writeFormat(cmd, loaded)
	}
	opts := renderOptions(loaded)
	opts.Env = o.env
	opts.IncludeSecretValues = o.includeSecretValues
	opts.WaitImage = o.waitImage
	b, err := convert.Convert(loaded.Project, opts)
	if err != nil {
		return err
	}
	if o.includeSecretValues {
		fmt.Fprintln(stderr, "warning: --include-secret-values: the output holds secret values; do not commit or share it")
	}
	return o.write(cmd.OutOrStdout(), stderr, b)
}

func (o *convertOptions) write(stdout, stderr io.Writer, b *convert.Bundle) error {
	if o.report == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(b.Report)
	}
	if o.outDir != "" {
		files, err := render.Dir(o.outDir, b.Objects)
		if err != nil {
			return err
		}
		if len(b.Secrets) > 0 {
			if err := os.WriteFile(filepath.Join(o.outDir, "secrets.env.example"), render.SecretsExample(b), 0o644); err != nil {
				return err
			}
			files = append(files, "secrets.env.example")
		}
		fmt.Fprintf(stderr, "wrote %d files to %s\n", len(files), o.outDir)
	} else {
		if err := render.WriteStream(stdout, b.Objects); err != nil {
			return err
		}
	}
	if o.report == "text" {
		b.Report.WriteText(stderr)
	} else {
		fmt.Fprintln(stderr, b.Report.Summary())
	}
	return nil
}
