//go:build !unix

package testcluster

// lockFile is a no-op where flock does not exist; tests there run one
// package at a time (go test -p 1) to share the cluster safely.
func lockFile(string) (func(), error) { return func() {}, nil }
