package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestProjectDirGuessMatchesLoad: the directory whose git commit is read
// ahead is the one the load makes the project directory, for the usual
// ways of naming the files.
func TestProjectDirGuessMatchesLoad(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "app")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{root, sub} {
		if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  web:\n    image: nginx\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(root)
	cases := map[string]projectFlags{
		"default discovery":   {},
		"-f in a subdir":      {files: []string{"app/compose.yaml"}},
		"-f absolute":         {files: []string{filepath.Join(sub, "compose.yaml")}},
		"--project-directory": {files: []string{"compose.yaml"}, dir: "app"},
	}
	for name, f := range cases {
		loaded, err := f.loadToRender(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got, want := f.projectDirGuess(), loaded.Project.WorkingDir; got != want {
			t.Errorf("%s: guessed %s, the project directory is %s", name, got, want)
		}
	}
}
