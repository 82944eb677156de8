package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the berth command tree in-process.
func runBerth(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := NewRootCommand()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errOut)
	err := root.Execute()
	return out.String(), errOut.String(), err
}

func TestDiffLocalProd(t *testing.T) {
	out, stderr, err := runBerth(t, "diff", "--check", "-f", "../../fixtures/prod-ingress/compose.yaml")
	if err != nil {
		t.Fatalf("berth diff --check: %v\n%s", err, stderr)
	}
	for _, want := range []string{
		"--- local\n+++ prod\n",
		"+ Ingress prod-ingress/web (only in prod)   [how published ports are exposed]",
		"+ Service prod-ingress/mqtt-public (only in prod)",
		"    spec.replicas: 1 → (absent)   [replicas]",
		`spec.volumeClaimTemplates[0].spec.storageClassName: "standard" → (absent)   [storage class and size]`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "NOT A KNOB") || !strings.Contains(stderr, "only in knobs") {
		t.Errorf("local and prod differ outside knobs:\n%s\n%s", out, stderr)
	}
}

func TestDiffDeclaredEnvironments(t *testing.T) {
	out, _, err := runBerth(t, "diff", "-f", "../../fixtures/env-gateway/compose.yaml", "prod", "staging")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "+ HTTPRoute env-gateway/shop (only in staging)") || !strings.Contains(out, "- Ingress env-gateway/shop (only in prod)") {
		t.Errorf("prod → staging should swap the Ingress for an HTTPRoute:\n%s", out)
	}
	_, _, err = runBerth(t, "diff", "-f", "../../fixtures/env-gateway/compose.yaml", "local", "qa")
	if err == nil || !strings.Contains(err.Error(), "edge, local, prod, staging") {
		t.Errorf("unknown environment: err = %v, want the declared list", err)
	}
}

func TestConvertFormats(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, err := runBerth(t, "convert", "-f", "../../fixtures/env-gateway/compose.yaml", "--format", "kustomize", "-o", dir); err != nil {
		t.Fatalf("kustomize: %v\n%s", err, stderr)
	}
	for _, f := range []string{"base/kustomization.yaml", "overlays/local/kustomization.yaml", "overlays/prod/kustomization.yaml", "overlays/staging/kustomization.yaml", "overlays/edge/kustomization.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("kustomize tree lacks %s", f)
		}
	}
	chart := t.TempDir()
	if _, stderr, err := runBerth(t, "convert", "-f", "../../fixtures/prod-ingress/compose.yaml", "--format", "helm", "-o", chart); err != nil {
		t.Fatalf("helm: %v\n%s", err, stderr)
	}
	values, err := os.ReadFile(filepath.Join(chart, "values.yaml"))
	if err != nil || !strings.Contains(string(values), "host: api.example.com") {
		t.Errorf("values.yaml lacks the api knobs: %v\n%s", err, values)
	}
	if _, _, err := runBerth(t, "convert", "-f", "../../fixtures/prod-ingress/compose.yaml", "--format", "helm"); err == nil {
		t.Error("--format helm without -o should fail")
	}
}
