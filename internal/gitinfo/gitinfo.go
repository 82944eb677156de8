// Package gitinfo reads the git commit a project is at. `berth up` records it
// and `berth promote` compares against it, so both use this one function.
package gitinfo

import (
	"os/exec"
	"strings"
	"sync"
)

// Commit returns the commit checked out in dir with "-dirty" when there are
// uncommitted changes, "" outside git. When Prefetch(dir) ran before, its
// answer is used (once).
func Commit(dir string) string {
	if c, ok := takePrefetched(dir); ok {
		return c
	}
	return read(dir)
}

// read asks git: two processes, a few milliseconds each (more for `git
// status` in a large tree).
func read(dir string) string {
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

// prefetched is the one read started ahead of need.
var prefetched struct {
	sync.Mutex
	dir    string
	commit chan string
}

// Prefetch starts reading the commit of dir in the background, so that the
// next Commit(dir) need not wait for git: the verbs start it before loading
// the compose files, whose directory they can usually tell from the flags.
// A Prefetch for another directory than the one later asked for costs a
// wasted read and nothing else.
func Prefetch(dir string) {
	ch := make(chan string, 1)
	prefetched.Lock()
	prefetched.dir, prefetched.commit = dir, ch
	prefetched.Unlock()
	go func() { ch <- read(dir) }()
}

func takePrefetched(dir string) (string, bool) {
	prefetched.Lock()
	ch := prefetched.commit
	match := ch != nil && prefetched.dir == dir
	if match {
		prefetched.dir, prefetched.commit = "", nil
	}
	prefetched.Unlock()
	if !match {
		return "", false
	}
	return <-ch, true
}
