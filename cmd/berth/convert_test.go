package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"berth/convert"
	"berth/promote"
	"berth/render"
)

// gitProject writes a compose project with a built image into a fresh git
// repository, commits it and returns its compose file and commit.
func gitProject(t *testing.T) (string, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := filepath.Join(t.TempDir(), "shop")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"compose.yaml": "services:\n  api:\n    build: .\n    ports: [\"8080:8080\"]\n",
		"Dockerfile":   "FROM busybox\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"commit", "-qm", "shop"}} {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=t@t", "-c", "user.name=t"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	commit := promote.GitCommit(dir)
	if len(commit) != 40 {
		t.Fatalf("commit %q", commit)
	}
	return filepath.Join(dir, "compose.yaml"), commit
}

// TestConvertRendersWhatPromoteApplies: with prod's tag policy git-commit,
// `convert --env prod`, `diff`, Kustomize and Helm name the image by the
// commit, exactly as promote's render (Convert with promote.GitCommit) does.
func TestConvertRendersWhatPromoteApplies(t *testing.T) {
	file, commit := gitProject(t)
	out, stderr, err := runBerth(t, "convert", "--env", "prod", "-f", file)
	if err != nil {
		t.Fatalf("convert: %v\n%s", err, stderr)
	}
	loaded, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{file}})
	if err != nil {
		t.Fatal(err)
	}
	opts := loaded.Options()
	opts.Env, opts.GitCommit = "prod", promote.GitCommit(filepath.Dir(file))
	b, err := convert.Convert(loaded.Project, opts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := render.Stream(b.Objects)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("convert --env prod differs from promote's render")
	}
	if !strings.Contains(out, "image: shop-api:"+commit) {
		t.Errorf("prod image is not tagged with commit %s:\n%s", commit, out)
	}
	diff, _, err := runBerth(t, "diff", "-f", file)
	if err != nil || !strings.Contains(diff, ":"+commit) {
		t.Errorf("diff does not show the commit tag: %v\n%s", err, diff)
	}
	dir := t.TempDir()
	if _, stderr, err := runBerth(t, "convert", "-f", file, "--format", "kustomize", "-o", filepath.Join(dir, "k")); err != nil {
		t.Fatalf("kustomize: %v\n%s", err, stderr)
	}
	if _, stderr, err := runBerth(t, "convert", "-f", file, "--format", "helm", "-o", filepath.Join(dir, "h")); err != nil {
		t.Fatalf("helm: %v\n%s", err, stderr)
	}
	for _, f := range []string{"k/overlays/prod/kustomization.yaml", "h/values.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !strings.Contains(string(data), commit) {
			t.Errorf("%s lacks the commit tag: %v\n%s", f, err, data)
		}
	}
}
