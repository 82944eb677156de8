// Package gitinfo reads the git commit a project is at. `berth up` records it
// and `berth promote` compares against it, so both use this one function.
package gitinfo

import (
	"os/exec"
	"strings"
)

// Commit returns the commit checked out in dir with "-dirty" when there are
// uncommitted changes, "" outside git.
func Commit(dir string) string {
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	commit := strings.TrimSpace(string(out))
	if dirty, err := exec.Command("git", "-C", dir, "status", "--porcelain").Output(); err == nil && len(dirty) > 0 {
		commit += "-dirty"
	}
	return commit
}
