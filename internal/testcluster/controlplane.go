package testcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test control plane: a real kube-apiserver, controller manager and
// scheduler with kwok's fake nodes and no containers, started by
// hack/test-control-plane.sh. It stands in for a remote ("cloud") cluster,
// e.g. the target of `berth promote`. Pods are Ready right after scheduling,
// except pods labelled NotReadyLabel=true, which run but never get Ready.
// PVCs of the default StorageClass are Bound. Nothing listens on pod or
// service IPs. See hack/test-control-plane/README.md.

// NotReadyLabel on a pod template makes its pods Running but never Ready on
// the test control plane, which is how tests get a failing rollout.
const NotReadyLabel = "kwok.test/not-ready"

// controlPlaneScript is the script's path relative to the repository root.
const controlPlaneScript = "hack/test-control-plane.sh"

// exitBinariesMissing is what the script's `up` exits with when the
// binaries are not built.
const exitBinariesMissing = 3

var cpOnce struct {
	sync.Mutex
	path string // kubeconfig path once known
	skip string // reason every later caller skips (or fails) for
}

// ControlPlane returns the path of a kubeconfig for the shared test control
// plane, starting it the first time (about 5 s). It is shared by all tests,
// test packages and test runs on the machine and left running; stop it with
// `hack/test-control-plane.sh down`. It skips t (or fails it when
// BERTH_E2E=1) when the binaries are not built or a tool the script needs is
// missing. Ports come from TCP_PORT_BASE (default 23790 to 23793).
func ControlPlane(t testing.TB) string {
	t.Helper()
	cpOnce.Lock()
	defer cpOnce.Unlock()
	if cpOnce.path != "" {
		diagnoseOnFailure(t, cpOnce.path)
		return cpOnce.path
	}
	if cpOnce.skip != "" {
		skipOrFail(t, cpOnce.skip)
		return ""
	}
	path, skip, err := ensureControlPlane(t)
	if err != nil {
		t.Fatalf("testcluster: control plane: %v", err)
	}
	if skip != "" {
		cpOnce.skip = skip
		skipOrFail(t, skip)
		return ""
	}
	cpOnce.path = path
	diagnoseOnFailure(t, path)
	return path
}

// ensureControlPlane runs the script's `up` (which reuses a running control
// plane) under a machine-wide lock, so parallel test packages start one.
func ensureControlPlane(t testing.TB) (path, skip string, err error) {
	script, err := findScript()
	if err != nil {
		return "", err.Error(), nil
	}
	for _, tool := range []string{"bash", "openssl", "curl", "setsid", "flock"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Sprintf("the test control plane needs %s, which is not installed", tool), nil
		}
	}
	unlock, err := lockFile(filepath.Join(os.TempDir(), "berth-testcontrolplane.lock"))
	if err != nil {
		return "", "", err
	}
	defer unlock()

	start := time.Now()
	path, err = runUp(script)
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && exitErr.ExitCode() == exitBinariesMissing {
		return "", fmt.Sprintf("the test control plane's binaries are not built; run `%s build` once (about 12 min cold, seconds when cached; hack/ci-setup.sh does it)", controlPlaneScript), nil
	}
	if err != nil {
		return "", "", err
	}
	if err := waitAPI(path, time.Minute); err != nil {
		return "", "", fmt.Errorf("started, but the API at %s does not answer: %w", path, err)
	}
	t.Logf("testcluster: control plane ready in %s (kubeconfig %s)", time.Since(start).Round(10*time.Millisecond), path)
	return path, "", nil
}

// runUp runs `script up` and returns the last line of its stdout, the
// kubeconfig path. The script's daemons keep no pipe of ours open, so this
// returns as soon as the script does.
func runUp(script string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "bash", script, "up")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s up: %w\n%s", controlPlaneScript, err, strings.TrimSpace(stderr.String()))
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	path := strings.TrimSpace(lines[len(lines)-1])
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%s up printed %q, not a kubeconfig: %w", controlPlaneScript, path, err)
	}
	return path, nil
}

// findScript walks up from the working directory (a package directory under
// `go test`) to the repository root that holds the script.
func findScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		p := filepath.Join(dir, controlPlaneScript)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s not found above the working directory; run the tests inside the berth repository", controlPlaneScript)
		}
		dir = parent
	}
}
