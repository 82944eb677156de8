package gitinfo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	if Commit(dir) != "" {
		t.Fatal("outside git there is no commit")
	}
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=t@t", "-c", "user.name=t"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	run("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	run("add", "a")
	run("commit", "-qm", "a")
	clean := Commit(dir)
	if len(clean) != 40 {
		t.Fatalf("want a commit hash, got %q", clean)
	}
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Commit(dir); got != clean+"-dirty" || !strings.HasPrefix(got, clean) {
		t.Fatalf("an edited tree is dirty: %q", got)
	}
}

// TestPrefetchIsTakenOnce: a prefetched answer serves the next Commit of the
// same directory only; later calls ask git again (`berth up` reads the
// commit again on every reload).
func TestPrefetchIsTakenOnce(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir, other := t.TempDir(), t.TempDir()
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=t@t", "-c", "user.name=t"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	run("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	run("add", "a")
	run("commit", "-qm", "a")
	Prefetch(other)
	if got := Commit(dir); len(got) != 40 {
		t.Fatalf("a prefetch of another directory answered for this one: %q", got)
	}
	Prefetch(dir)
	clean := Commit(dir)
	if len(clean) != 40 {
		t.Fatalf("prefetched commit %q", clean)
	}
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Commit(dir); got != clean+"-dirty" {
		t.Fatalf("after an edit: %q, want %s-dirty (the prefetched answer was reused)", got, clean)
	}
}
