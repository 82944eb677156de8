package kube

import "context"

// DeleteByLabel deletes every object of PrunableKinds in namespace that
// matches selector (what `berth down` does). PVCs, i.e. data, are deleted only
// when deletePVCs is set. An empty selector is refused.
func (c *Client) DeleteByLabel(ctx context.Context, namespace, selector string, deletePVCs bool) ([]ObjectRef, error) {
	o := PruneOptions{Selector: selector, Namespaces: []string{namespace}, DeletePVCs: deletePVCs}
	refs, err := c.PruneCandidates(ctx, nil, o)
	if err != nil {
		return nil, err
	}
	return c.Prune(ctx, refs, o)
}
