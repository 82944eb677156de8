package localenv

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"berth/convert"

	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
)

// BuiltImage is an image built for a service, tagged by content so an
// unchanged build keeps its tag and rolls nothing.
type BuiltImage struct {
	Service string
	Image   string // name:berth-<id>
	ID      string
	Took    time.Duration
}

// buildImage runs `docker build` for one service, honouring context,
// dockerfile, target, args and .dockerignore (docker reads it itself).
func buildImage(ctx context.Context, ib convert.ImageBuild, log io.Writer) (BuiltImage, error) {
	start := time.Now()
	args := []string{"build", "-t", ib.Image}
	if ib.Dockerfile != "" {
		df := ib.Dockerfile
		if !filepath.IsAbs(df) {
			df = filepath.Join(ib.Context, df)
		}
		args = append(args, "-f", df)
	}
	if ib.Target != "" {
		args = append(args, "--target", ib.Target)
	}
	keys := make([]string, 0, len(ib.Args))
	for k := range ib.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "--build-arg", k+"="+ib.Args[k])
	}
	args = append(args, ib.Context)
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Env = buildEnv()
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(&out, log)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Run(); err != nil {
		return BuiltImage{}, fmt.Errorf("docker build of %s (context %s) failed: %w\n%s", ib.Service, ib.Context, err, tail(out.String(), 15))
	}
	id, err := dockerImageID(ctx, ib.Image)
	if err != nil {
		return BuiltImage{}, err
	}
	tagged := repository(ib.Image) + ":berth-" + strings.TrimPrefix(id, "sha256:")[:12]
	if err := exec.CommandContext(ctx, "docker", "tag", ib.Image, tagged).Run(); err != nil {
		return BuiltImage{}, fmt.Errorf("docker tag %s: %w", tagged, err)
	}
	return BuiltImage{Service: ib.Service, Image: tagged, ID: id, Took: time.Since(start)}, nil
}

// buildEnv uses the classic builder unless the user chose: BuildKit resolves
// base images from a registry even when they exist locally, which fails on
// machines without one (BERTH_BUILDKIT=1 or DOCKER_BUILDKIT=1 turn it on).
func buildEnv() []string {
	env := os.Environ()
	if os.Getenv("DOCKER_BUILDKIT") == "" && os.Getenv("BERTH_BUILDKIT") != "1" {
		env = append(env, "DOCKER_BUILDKIT=0")
	}
	return env
}

func repository(image string) string {
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image[:i]
	}
	return image
}

func dockerImageID(ctx context.Context, image string) (string, error) {
	out, err := exec.CommandContext(ctx, "docker", "image", "inspect", "-f", "{{.Id}}", image).Output()
	if err != nil {
		return "", fmt.Errorf("docker image inspect %s: %w", image, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// loadImage loads a local docker image into every kind node that lacks it
// (same check as `kind load docker-image`). It returns false when the image
// is not in the local docker either (the node will have to pull it).
func (c *Cluster) loadImage(ctx context.Context, image string) (bool, error) {
	id, err := dockerImageID(ctx, image)
	if err != nil {
		return false, nil
	}
	ns, err := c.kind.ListInternalNodes(c.Name)
	if err != nil {
		return false, fmt.Errorf("list nodes of %s: %w", c.Name, err)
	}
	var missing []nodes.Node
	for _, n := range ns {
		if nodeID, err := nodeutils.ImageID(n, image); err != nil || nodeID != id {
			missing = append(missing, n)
		}
	}
	for _, n := range missing {
		if err := loadInto(ctx, n, image); err != nil {
			return true, err
		}
	}
	return true, nil
}

func loadInto(ctx context.Context, n nodes.Node, image string) error {
	cmd := exec.CommandContext(ctx, "docker", "save", image)
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	loadErr := nodeutils.LoadImageArchive(n, pipe)
	waitErr := cmd.Wait()
	if waitErr != nil {
		return fmt.Errorf("docker save %s: %w: %s", image, waitErr, stderr.String())
	}
	if loadErr != nil {
		return fmt.Errorf("load %s into node %s: %w", image, n.String(), loadErr)
	}
	return nil
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
