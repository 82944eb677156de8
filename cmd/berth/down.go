package main

import (
	"errors"

	"berth/localenv"

	"github.com/spf13/cobra"
)

type downOptions struct {
	local         localFlags
	removeVolumes bool
	deleteCluster bool
}

// NewDownCommand stops the project without losing its data.
func NewDownCommand() *cobra.Command {
	o := &downOptions{}
	cmd := &cobra.Command{
		Use:   "down [flags]",
		Short: "Stop the project; volumes (data) are kept unless -v",
		Long: `Down deletes the project's objects from the cluster and stops the background process of
'up --detach'. PersistentVolumeClaims, where databases keep their data, are kept: the next
'berth up' finds the data again. -v deletes them too; --cluster deletes the whole kind cluster.`,
		Example: `  berth down              # stop, keep data
  berth down -v           # stop and delete the project's volumes
  berth down --cluster    # delete the kind cluster (every project on it)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pub := localenv.NewPublisher()
			flush := o.local.printer(pub, false)
			defer flush()
			s, err := localenv.Open(cmd.Context(), o.local.upOptions(), pub)
			if errors.Is(err, localenv.ErrNoCluster) {
				pub.Publish(localenv.Event{Kind: localenv.EventInfo, Message: "nothing runs: the cluster does not exist"})
				return nil
			}
			if err != nil {
				return err
			}
			if o.deleteCluster {
				localenv.StopDaemon(s.Project)
				pub.Publish(localenv.Event{Kind: localenv.EventInfo, Message: "deleting kind cluster " + o.local.cluster})
				return localenv.DeleteCluster(o.local.cluster)
			}
			return s.Down(cmd.Context(), o.removeVolumes)
		},
	}
	o.local.register(cmd.Flags(), "cluster-name")
	cmd.Flags().BoolVarP(&o.removeVolumes, "volumes", "v", false, "also delete the project's volumes (its data)")
	cmd.Flags().BoolVar(&o.deleteCluster, "cluster", false, "delete the kind cluster itself (every project on it)")
	return cmd
}
