package main

import (
	"context"
	"fmt"

	"berth/internal/dbbackup"
	"berth/localenv"

	"github.com/spf13/cobra"
)

// NewBackupCommand runs database backups now, through the cluster.
func NewBackupCommand() *cobra.Command {
	o := &localFlags{}
	cmd := &cobra.Command{
		Use:   "backup [flags] [SERVICE...]",
		Short: "Back up database services now (what their backup CronJob does on schedule)",
		Long: `Backup runs the backup of each database service (postgres, mysql/mariadb, mongo,
redis; all of them when no SERVICE is named) as a Job created from its backup CronJob,
waits for it and prints the name of the dump. Dumps go where the environment says:
the PVC <service>-backups locally, an S3-compatible bucket in prod.`,
		Example: `  berth backup            # every database of the project
  berth backup db         # just db
  berth restore db        # restore the newest dump`,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := openRunner(cmd, o)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), o.timeout)
			defer cancel()
			services := args
			if len(services) == 0 {
				if services, err = r.Services(ctx); err != nil {
					return err
				}
				if len(services) == 0 {
					return fmt.Errorf("%w: the project has no database service with a backup CronJob", dbbackup.ErrNoBackup)
				}
			}
			for _, s := range services {
				name, err := r.Backup(ctx, s)
				if err != nil {
					return fmt.Errorf("backup %s: %w", s, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\n", s, name)
			}
			return nil
		},
	}
	o.register(cmd.Flags(), "cluster")
	return cmd
}

// openRunner connects to the project's cluster (as `exec` and `logs` do).
func openRunner(cmd *cobra.Command, o *localFlags) (*dbbackup.Runner, error) {
	ctx := cmd.Context()
	s, err := localenv.Open(ctx, o.upOptions(), localenv.NewPublisher())
	if err != nil {
		return nil, err
	}
	return &dbbackup.Runner{Kube: s.Cluster.Client, Namespace: s.Namespace, Progress: func(line string) {
		fmt.Fprintln(cmd.ErrOrStderr(), line)
	}}, nil
}
