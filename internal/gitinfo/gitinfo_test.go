package gitinfo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// committedRepo is a new git repository in dir with one committed file, a.
func committedRepo(t *testing.T, dir string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=t@t", "-c", "user.name=t"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	run("init", "-q")
	writeA(t, dir, "a")
	run("add", "a")
	run("commit", "-qm", "a")
}

func writeA(t *testing.T, dir, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCommit(t *testing.T) {
	dir := t.TempDir()
	if Commit(dir) != "" {
		t.Fatal("outside git there is no commit")
	}
	committedRepo(t, dir)
	clean := Commit(dir)
	if len(clean) != 40 {
		t.Fatalf("want a commit hash, got %q", clean)
	}
	writeA(t, dir, "b")
	if got := Commit(dir); got != clean+"-dirty" || !strings.HasPrefix(got, clean) {
		t.Fatalf("an edited tree is dirty: %q", got)
	}
}

// TestPrefetchIsTakenOnce: a prefetched answer serves the next Commit of the
// same directory only; later calls ask git again (`berth up` reads the
// commit again on every reload).
func TestPrefetchIsTakenOnce(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	committedRepo(t, dir)
	Prefetch(other)
	if got := Commit(dir); len(got) != 40 {
		t.Fatalf("a prefetch of another directory answered for this one: %q", got)
	}
	Prefetch(dir)
	clean := Commit(dir)
	if len(clean) != 40 {
		t.Fatalf("prefetched commit %q", clean)
	}
	writeA(t, dir, "b")
	if got := Commit(dir); got != clean+"-dirty" {
		t.Fatalf("after an edit: %q, want %s-dirty (the prefetched answer was reused)", got, clean)
	}
}
