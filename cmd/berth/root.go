package main

import (
	"github.com/spf13/cobra"
)

// NewRootCommand builds the berth command tree.
func NewRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "berth",
		Short: "Run your compose files as production Kubernetes, locally and in the cloud",
		Long: `berth turns the docker-compose files you already have into production Kubernetes
manifests (convert), runs exactly those manifests on a local kind cluster (up), and
rolls them out to a real cluster (promote). One conversion; environments differ only
in a few declared knobs.`,
		Example: `  berth convert -f compose.yaml            # print production manifests
  berth convert -o k8s/ --report=text       # one file per service, and a readable report
  berth up -d                               # run it on a local kind cluster, ports on localhost
  berth diff local prod                     # what differs between environments
  berth promote --env prod --context prod   # plan, confirm, apply, wait, roll back on failure`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		NewConvertCommand(),
		NewDiffCommand(),
		NewUpCommand(),
		NewDownCommand(),
		NewPsCommand(),
		NewLogsCommand(),
		NewRestartCommand(),
		NewExecCommand(),
		NewUICommand(),
		NewBackupCommand(),
		NewRestoreCommand(),
		NewPromoteCommand(),
		NewHistoryCommand(),
		NewRollbackCommand(),
		NewVersionCommand(),
	)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Example = `  source <(berth completion bash)            # this shell
  berth completion zsh > "${fpath[1]}/_berth"  # every new zsh`
			for _, shell := range c.Commands() {
				shell.Example = completionExamples[shell.Name()]
			}
		}
	}
	return root
}

// completionExamples are the examples of `berth completion SHELL --help`
// (cobra's own text explains the rest).
var completionExamples = map[string]string{
	"bash":       "  source <(berth completion bash)\n  berth completion bash > /etc/bash_completion.d/berth",
	"zsh":        "  source <(berth completion zsh)\n  berth completion zsh > \"${fpath[1]}/_berth\"",
	"fish":       "  berth completion fish | source\n  berth completion fish > ~/.config/fish/completions/berth.fish",
	"powershell": "  berth completion powershell | Out-String | Invoke-Expression",
}
