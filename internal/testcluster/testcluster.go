// Package testcluster gives cluster tests one shared kind cluster, named
// berth-test, reused across tests, test packages and test runs. It is created
// once (under a file lock, so parallel `go test` packages do not race) from
// the node image in BERTH_NODE_IMAGE and never deleted by the tests.
//
// Tests skip with a loud reason when Docker or the node image is missing,
// except when BERTH_E2E=1, where the same conditions fail the test.
package testcluster

import (
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

	"sigs.k8s.io/kind/pkg/cluster"
	kindlog "sigs.k8s.io/kind/pkg/log"
)

// Name of the shared test cluster.
const Name = "berth-test"

// Environment variables this package reads.
const (
	EnvNodeImage = "BERTH_NODE_IMAGE" // kind node image to create the cluster from
	EnvE2E       = "BERTH_E2E"        // "1": missing prerequisites fail instead of skip
)

var (
	once struct {
		sync.Mutex
		path string // kubeconfig path once known
		skip string // reason every later caller skips (or fails) for
	}
)

// Kubeconfig returns the path of a kubeconfig for the shared berth-test kind
// cluster, creating the cluster the first time. It skips t (or fails it when
// BERTH_E2E=1) when Docker is missing or not running, or when the cluster
// does not exist and BERTH_NODE_IMAGE is unset.
func Kubeconfig(t testing.TB) string {
	t.Helper()
	once.Lock()
	defer once.Unlock()
	if once.path != "" {
		return once.path
	}
	if once.skip != "" {
		skipOrFail(t, once.skip)
		return ""
	}
	path, skip, err := ensure(t)
	if err != nil {
		t.Fatalf("testcluster: %v", err)
	}
	if skip != "" {
		once.skip = skip
		skipOrFail(t, skip)
		return ""
	}
	once.path = path
	return path
}

func skipOrFail(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv(EnvE2E) == "1" {
		t.Fatalf("CLUSTER TEST CANNOT RUN (and %s=1 demands it): %s", EnvE2E, reason)
	}
	t.Skipf("SKIPPING CLUSTER TEST: %s", reason)
}

// ensure returns the kubeconfig path, or a reason to skip, or an error.
func ensure(t testing.TB) (path, skip string, err error) {
	if reason := dockerProblem(); reason != "" {
		return "", reason, nil
	}
	unlock, err := lockFile(filepath.Join(os.TempDir(), "berth-testcluster.lock"))
	if err != nil {
		return "", "", err
	}
	defer unlock()

	p := cluster.NewProvider(cluster.ProviderWithDocker(), cluster.ProviderWithLogger(kindlog.NoopLogger{}))
	exists, err := clusterExists(p)
	if err != nil {
		return "", "", err
	}
	if !exists {
		image := os.Getenv(EnvNodeImage)
		if image == "" {
			return "", fmt.Sprintf("kind cluster %q does not exist and %s is not set; run `make cluster-image` and export %s=<the image name it prints last>", Name, EnvNodeImage, EnvNodeImage), nil
		}
		if err := create(t, p, image); err != nil {
			return "", "", err
		}
	} else if err := startStoppedNodes(p); err != nil {
		return "", "", err
	}
	path, err = writeKubeconfig(p)
	if err != nil {
		return "", "", err
	}
	if err := waitAPI(path, 3*time.Minute); err != nil {
		return "", "", fmt.Errorf("cluster %s exists but its API does not answer: %w (delete it with `kind delete cluster --name %s` to recreate)", Name, err, Name)
	}
	return path, "", nil
}

// dockerProblem explains why Docker cannot be used, or returns "".
func dockerProblem() string {
	if _, err := exec.LookPath("docker"); err != nil {
		return "the docker CLI is not installed (kind needs Docker)"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput()
	if err != nil {
		return fmt.Sprintf("Docker is not running or not reachable (`docker info`: %v: %s)", err, strings.TrimSpace(string(out)))
	}
	return ""
}

func clusterExists(p *cluster.Provider) (bool, error) {
	names, err := p.List()
	if err != nil {
		return false, fmt.Errorf("list kind clusters: %w", err)
	}
	for _, n := range names {
		if n == Name {
			return true, nil
		}
	}
	return false, nil
}

func create(t testing.TB, p *cluster.Provider, image string) error {
	t.Logf("testcluster: creating kind cluster %s from %s (about 30 s, once)", Name, image)
	start := time.Now()
	err := p.Create(Name,
		cluster.CreateWithNodeImage(image),
		cluster.CreateWithWaitForReady(5*time.Minute),
		cluster.CreateWithKubeconfigPath(filepath.Join(os.TempDir(), "berth-testcluster-create.kubeconfig")),
		cluster.CreateWithDisplayUsage(false),
		cluster.CreateWithDisplaySalutation(false),
	)
	if err != nil {
		return fmt.Errorf("create kind cluster %s from %s: %w", Name, image, err)
	}
	t.Logf("testcluster: cluster %s created in %s", Name, time.Since(start).Round(time.Second))
	return nil
}

// startStoppedNodes restarts node containers left stopped, e.g. by a reboot.
func startStoppedNodes(p *cluster.Provider) error {
	nodes, err := p.ListNodes(Name)
	if err != nil {
		return fmt.Errorf("list nodes of %s: %w", Name, err)
	}
	for _, n := range nodes {
		out, err := exec.Command("docker", "inspect", "-f", "{{.State.Running}}", n.String()).Output()
		if err != nil {
			return fmt.Errorf("inspect node %s: %w", n, err)
		}
		if strings.TrimSpace(string(out)) == "true" {
			continue
		}
		if out, err := exec.Command("docker", "start", n.String()).CombinedOutput(); err != nil {
			return fmt.Errorf("start node %s: %w: %s", n, err, out)
		}
	}
	return nil
}

// writeKubeconfig writes the cluster's kubeconfig under the user cache dir
// (atomically: other test packages may be reading it) and returns its path.
func writeKubeconfig(p *cluster.Provider) (string, error) {
	cfg, err := p.KubeConfig(Name, false)
	if err != nil {
		return "", fmt.Errorf("kubeconfig of %s: %w", Name, err)
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "berth", "testcluster")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("kubeconfig dir: %w", err)
	}
	path := filepath.Join(dir, Name+".kubeconfig")
	tmp, err := os.CreateTemp(dir, ".kubeconfig-*")
	if err != nil {
		return "", fmt.Errorf("write kubeconfig: %w", err)
	}
	_, werr := tmp.WriteString(cfg)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return "", fmt.Errorf("write kubeconfig: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("write kubeconfig: %w", err)
	}
	return path, nil
}
