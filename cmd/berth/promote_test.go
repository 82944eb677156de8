package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"berth/internal/testcluster"
	"berth/promote"

	"k8s.io/client-go/tools/clientcmd"
)

func TestAskYes(t *testing.T) {
	for in, want := range map[string]bool{"y\n": true, "yes\n": true, "\n": false, "n\n": false, "": false, "Y": true} {
		var out bytes.Buffer
		got, err := askYes(strings.NewReader(in), &out, "go?")
		if err != nil || got != want {
			t.Errorf("answer %q: %v, %v; want %v", in, got, err, want)
		}
		if !strings.Contains(out.String(), "go? [y/N]") {
			t.Errorf("prompt %q", out.String())
		}
	}
}

// TestPromoteCommandDryRun runs `berth promote --dry-run` against the test
// control plane: the flags reach promote, the plan is printed, the gates
// refuse without their flags and pass with them, and history lists nothing
// (a dry run is not recorded). Registries are unreachable here, hence
// --allow-unpinned; promote's own tests pin against an in-process registry.
func TestPromoteCommandDryRun(t *testing.T) {
	kc := testcluster.ControlPlane(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	cfg, err := clientcmd.LoadFromFile(kc)
	if err != nil {
		t.Fatal(err)
	}
	file := "../../fixtures/prod-ingress/compose.yaml"
	args := []string{"promote", "-f", file, "--kubeconfig", kc, "--context", cfg.CurrentContext, "--namespace", "cli-dry-run", "--dry-run"}
	out, _, err := runBerth(t, args...)
	if !errors.Is(err, promote.ErrRefused) || !strings.Contains(err.Error(), "--allow-untested") {
		t.Fatalf("without overrides: err = %v, want a refusal naming --allow-untested\n%s", err, out)
	}
	out, stderr, err := runBerth(t, append(args, "--allow-untested", "--allow-unpinned", "--allow-missing-secrets")...)
	if err != nil {
		t.Fatalf("with overrides: %v\n%s%s", err, out, stderr)
	}
	for _, want := range []string{"promote prod-ingress (env prod) to context " + cfg.CurrentContext, "+ Namespace/cli-dry-run", "skip tested", "a dry run creates nothing"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	out, _, err = runBerth(t, "history", "-f", file)
	if err != nil || !strings.Contains(out, "no promotions yet") {
		t.Errorf("history after a dry run: %v\n%s", err, out)
	}
}
