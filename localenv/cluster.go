package localenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"berth/internal/kube"

	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/kind/pkg/cluster"
)

// DefaultCluster is the kind cluster berth shares between projects.
const DefaultCluster = "berth"

// ErrDockerMissing means no Docker engine answers.
var ErrDockerMissing = errors.New("docker is not available")

// ClusterOptions choose the cluster `up` runs on.
type ClusterOptions struct {
	Name      string // kind cluster name (default "berth")
	Context   string // use this kubeconfig context instead of a kind cluster
	NodeImage string // kind node image (default: $BERTH_NODE_IMAGE, else kind's default)
	// Mounts are host directories the kind node mounts at the same path, so
	// pods can bind-mount source directories (set when the cluster is created).
	Mounts []string
}

// Cluster is a cluster berth talks to.
type Cluster struct {
	Name   string // kind cluster name, "" when --context was given
	Client *kube.Client
	kind   *cluster.Provider
}

// IsKind reports whether the cluster is a berth-managed kind cluster.
func (c *Cluster) IsKind() bool { return c.Name != "" }

// CheckDocker returns a one-paragraph error telling what to install when no
// Docker engine answers.
func CheckDocker(ctx context.Context) error {
	if _, err := exec.LookPath("docker"); err != nil {
		return fmt.Errorf("%w: the docker command is not installed. berth runs your app on a local kind cluster, "+
			"which needs a Docker engine: on Debian/Ubuntu run `sudo apt-get install docker.io` (or install Docker Desktop), "+
			"start it, and run berth again; `make cluster-image` in berth's repository does all of it offline. "+
			"To use an existing cluster instead, pass --context KUBECONTEXT", ErrDockerMissing)
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(cctx, "docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: the Docker engine does not answer (%s). Start it (`sudo systemctl start docker`, "+
			"or `sudo dockerd &` where there is no systemd, or open Docker Desktop), check that your user may use it "+
			"(`sudo usermod -aG docker $USER`), and run berth again; or pass --context KUBECONTEXT to use an existing cluster",
			ErrDockerMissing, strings.TrimSpace(lastLine(string(out))))
	}
	return nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "\n"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// EnsureCluster returns a client for the cluster: the given context, or the
// kind cluster, created when it does not exist yet.
func EnsureCluster(ctx context.Context, o ClusterOptions, pub *Publisher) (*Cluster, error) {
	if o.Context != "" {
		c, err := kube.NewClient("", o.Context)
		if err != nil {
			return nil, err
		}
		return &Cluster{Client: c}, nil
	}
	if err := CheckDocker(ctx); err != nil {
		return nil, err
	}
	if o.Name == "" {
		o.Name = DefaultCluster
	}
	provider := cluster.NewProvider(cluster.ProviderWithDocker())
	names, err := provider.List()
	if err != nil {
		return nil, fmt.Errorf("list kind clusters: %w", err)
	}
	if !slices.Contains(names, o.Name) {
		if err := createCluster(provider, o, pub); err != nil {
			return nil, err
		}
	}
	return kindClient(provider, o.Name)
}

func createCluster(provider *cluster.Provider, o ClusterOptions, pub *Publisher) error {
	image := o.NodeImage
	if image == "" {
		image = os.Getenv("BERTH_NODE_IMAGE")
	}
	pub.Publish(Event{Kind: EventInfo, Message: fmt.Sprintf("creating kind cluster %q (node image %s)", o.Name, orDefault(image, "kind's default"))})
	cfg := &v1alpha4.Cluster{Nodes: []v1alpha4.Node{{Role: v1alpha4.ControlPlaneRole}}}
	for _, m := range o.Mounts {
		cfg.Nodes[0].ExtraMounts = append(cfg.Nodes[0].ExtraMounts, v1alpha4.Mount{HostPath: m, ContainerPath: m})
	}
	opts := []cluster.CreateOption{
		cluster.CreateWithV1Alpha4Config(cfg),
		cluster.CreateWithWaitForReady(5 * time.Minute),
		cluster.CreateWithDisplayUsage(false),
		cluster.CreateWithDisplaySalutation(false),
	}
	if image != "" {
		opts = append(opts, cluster.CreateWithNodeImage(image))
	}
	start := time.Now()
	if err := provider.Create(o.Name, opts...); err != nil {
		return fmt.Errorf("create kind cluster %q: %w", o.Name, err)
	}
	pub.Publish(Event{Kind: EventInfo, Message: fmt.Sprintf("cluster %q ready in %s", o.Name, time.Since(start).Round(time.Second))})
	return nil
}

func kindClient(provider *cluster.Provider, name string) (*Cluster, error) {
	raw, err := provider.KubeConfig(name, false)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig of kind cluster %q: %w", name, err)
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(raw))
	if err != nil {
		return nil, err
	}
	c, err := kube.NewClientFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	c.Context = "kind-" + name
	return &Cluster{Name: name, Client: c, kind: provider}, nil
}

// DeleteCluster deletes the kind cluster (and every project on it).
func DeleteCluster(name string) error {
	if name == "" {
		name = DefaultCluster
	}
	return cluster.NewProvider(cluster.ProviderWithDocker()).Delete(name, "")
}

// mountRoots returns the top-level directories of paths (/work/app → /work),
// so one cluster serves every project below them.
func mountRoots(paths []string) []string {
	var roots []string
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		parts := strings.SplitN(strings.TrimPrefix(abs, "/"), "/", 2)
		root := "/" + parts[0]
		if root != "/" && !slices.Contains(roots, root) {
			roots = append(roots, root)
		}
	}
	slices.Sort(roots)
	return roots
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
