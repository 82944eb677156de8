package localenv

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"sigs.k8s.io/kind/pkg/cluster"
)

// ErrNoCluster means the kind cluster does not exist (nothing runs).
var ErrNoCluster = errors.New("the berth cluster does not exist")

// Open loads the project and connects to the cluster it runs on, without
// creating, building or applying anything: what `down`, `ps`, `logs`,
// `restart` and `exec` work from.
func Open(ctx context.Context, o UpOptions, pub *Publisher) (*Session, error) {
	s := &Session{Opts: o, Pub: pub, tags: map[string]string{}}
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	pub.Project = s.Project
	if o.Cluster.Context != "" {
		c, err := EnsureCluster(ctx, o.Cluster, pub)
		if err != nil {
			return nil, err
		}
		s.Cluster = c
		return s, nil
	}
	if err := CheckDocker(ctx); err != nil {
		return nil, err
	}
	name := o.Cluster.Name
	if name == "" {
		name = DefaultCluster
	}
	provider := cluster.NewProvider(cluster.ProviderWithDocker())
	names, err := provider.List()
	if err != nil {
		return nil, fmt.Errorf("list kind clusters: %w", err)
	}
	if !slices.Contains(names, name) {
		return s, fmt.Errorf("%w (%s): run `berth up` first", ErrNoCluster, name)
	}
	c, err := kindClient(provider, name)
	if err != nil {
		return nil, err
	}
	s.Cluster = c
	return s, nil
}
