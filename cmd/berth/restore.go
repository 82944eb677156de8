package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

// NewRestoreCommand restores a database service from one of its dumps.
func NewRestoreCommand() *cobra.Command {
	o := &localFlags{}
	var from string
	cmd := &cobra.Command{
		Use:   "restore [flags] SERVICE",
		Short: "Restore a database service from a backup",
		Long: `Restore creates a Job from the restore template of SERVICE (the ConfigMap
<service>-restore that berth renders next to the backup CronJob) and waits for it.
--from names the dump (as printed by 'berth backup'); the default is the newest.
Postgres, MySQL/MariaDB and MongoDB restore through the running server; Redis is
stopped while its data volume receives the dump, then started again.`,
		Example: `  berth restore db
  berth restore db --from db-20250101T030000Z.pgdump`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := openRunner(cmd, o)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), o.timeout)
			defer cancel()
			used, err := r.Restore(ctx, args[0], from)
			if err != nil {
				return fmt.Errorf("restore %s: %w", args[0], err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\trestored from %s\n", args[0], used)
			return nil
		},
	}
	o.register(cmd.Flags(), "cluster")
	cmd.Flags().StringVar(&from, "from", "latest", "dump to restore (default: the newest)")
	return cmd
}
