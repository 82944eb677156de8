package convert

// applyEnvironment is filled in by the production layer (issue 4).
func (c *converter) applyEnvironment() error { return nil }
