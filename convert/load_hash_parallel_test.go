package convert

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"berth/internal/gencompose"
)

// TestProjectJSONIsMarshal holds projectJSON to json.Marshal, on large
// generated projects (where it encodes on every CPU) and, spliced however
// small, on the fixtures and corpus cases.
func TestProjectJSONIsMarshal(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, shape := range []gencompose.Shape{gencompose.Chain, gencompose.Diamond} {
		path := filepath.Join(dir, string(shape)+".yaml")
		if err := gencompose.WriteFile(path, 150, shape); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	fixtures, _ := filepath.Glob("../fixtures/*/compose.yaml")
	for _, c := range corpusCases(t) {
		if len(c.files) == 1 {
			fixtures = append(fixtures, c.files[0])
		}
	}
	for _, f := range append(files, fixtures...) {
		l, err := Load(context.Background(), LoadOptions{Files: []string{f}, Environ: []string{}})
		if err != nil {
			continue // the failure fixtures
		}
		want, err := json.Marshal(l.Project)
		if err != nil {
			t.Fatal(err)
		}
		got, err := splicedProjectJSON(l.Project)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: projectJSON differs from json.Marshal (err %v)\n got %.300s\nwant %.300s", f, err, got, want)
		}
	}
}

// TestReplaceShorterIsReplaceAll holds the in-place replacement to
// bytes.ReplaceAll.
func TestReplaceShorterIsReplaceAll(t *testing.T) {
	for _, c := range []struct{ data, old, new string }{
		{"", "/p", "."}, {"/p", "/p", "."}, {"a/p/b/p", "/p", "."}, {"/p/p/p", "/p", ""},
		{"xx", "/p", "."}, {"/pp/p", "/p", "/"}, {"aaaa", "aa", "a"}, {"ab", "", "."}, {"a/p", "/p", "/longer"},
	} {
		want := bytes.ReplaceAll([]byte(c.data), []byte(c.old), []byte(c.new))
		if got := replaceShorter([]byte(c.data), []byte(c.old), []byte(c.new)); !bytes.Equal(got, want) {
			t.Errorf("replaceShorter(%q, %q, %q) = %q, want %q", c.data, c.old, c.new, got, want)
		}
	}
}
