package convert

// backups is filled in by the production layer (issue 4).
func (c *converter) backups() error { return nil }
