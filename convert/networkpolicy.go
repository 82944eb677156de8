package convert

// networkPolicies is filled in by the production layer (issue 4).
func (c *converter) networkPolicies() error { return nil }
