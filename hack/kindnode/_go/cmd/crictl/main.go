// crictl is a minimal stand-in for sigs.k8s.io/cri-tools' crictl, for node
// images built offline where cri-tools cannot be fetched. It implements only
// what kind itself calls (`crictl inspecti`, `crictl images`) plus `ps`/`pods`
// for debugging. Output of `inspecti` is JSON shaped like the real crictl's.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
)

func endpoint() string {
	if ep := os.Getenv("CONTAINER_RUNTIME_ENDPOINT"); ep != "" {
		return ep
	}
	if b, err := os.ReadFile("/etc/crictl.yaml"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(l), "runtime-endpoint:"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return "unix:///run/containerd/containerd.sock"
}

func die(format string, a ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", a...)
	os.Exit(1)
}

func main() {
	args := os.Args[1:]
	for len(args) > 0 && strings.HasPrefix(args[0], "-") { // ignore global flags
		args = args[1:]
	}
	if len(args) == 0 {
		die("usage: crictl inspecti IMAGE | images | ps [-a] | pods")
	}
	conn, err := grpc.NewClient(endpoint(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		die("connect: %v", err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	img := runtimeapi.NewImageServiceClient(conn)
	rt := runtimeapi.NewRuntimeServiceClient(conn)
	tw := tabwriter.NewWriter(os.Stdout, 0, 8, 3, ' ', 0)
	defer tw.Flush()

	switch args[0] {
	case "inspecti":
		if len(args) < 2 {
			die("usage: crictl inspecti IMAGE")
		}
		for _, name := range args[1:] {
			r, err := img.ImageStatus(ctx, &runtimeapi.ImageStatusRequest{Image: &runtimeapi.ImageSpec{Image: name}, Verbose: true})
			if err != nil {
				die("image status for %q request: %v", name, err)
			}
			if r.Image == nil {
				die("no such image %q present", name)
			}
			out := map[string]any{"status": map[string]any{
				"id": r.Image.Id, "repoTags": r.Image.RepoTags, "repoDigests": r.Image.RepoDigests,
				"size": fmt.Sprint(r.Image.Size_), "pinned": r.Image.Pinned,
			}, "info": r.Info}
			b, _ := json.MarshalIndent(out, "", "  ")
			fmt.Println(string(b))
		}
	case "images":
		r, err := img.ListImages(ctx, &runtimeapi.ListImagesRequest{})
		if err != nil {
			die("list images: %v", err)
		}
		fmt.Fprintln(tw, "IMAGE\tTAG\tIMAGE ID\tSIZE")
		for _, i := range r.Images {
			id := strings.TrimPrefix(i.Id, "sha256:")
			if len(id) > 13 {
				id = id[:13]
			}
			tags := i.RepoTags
			if len(tags) == 0 {
				tags = []string{"<none>:<none>"}
			}
			for _, t := range tags {
				n := strings.LastIndex(t, ":")
				fmt.Fprintf(tw, "%s\t%s\t%s\t%.1fMB\n", t[:n], t[n+1:], id, float64(i.Size_)/1e6)
			}
		}
	case "ps":
		f := &runtimeapi.ContainerFilter{State: &runtimeapi.ContainerStateValue{State: runtimeapi.ContainerState_CONTAINER_RUNNING}}
		if len(args) > 1 && args[1] == "-a" {
			f = nil
		}
		r, err := rt.ListContainers(ctx, &runtimeapi.ListContainersRequest{Filter: f})
		if err != nil {
			die("list containers: %v", err)
		}
		fmt.Fprintln(tw, "CONTAINER\tIMAGE\tSTATE\tNAME\tATTEMPT\tPOD ID")
		for _, c := range r.Containers {
			fmt.Fprintf(tw, "%.13s\t%s\t%s\t%s\t%d\t%.13s\n", c.Id, c.Image.GetImage(), c.State, c.Metadata.GetName(), c.Metadata.GetAttempt(), c.PodSandboxId)
		}
	case "pods":
		r, err := rt.ListPodSandbox(ctx, &runtimeapi.ListPodSandboxRequest{})
		if err != nil {
			die("list pods: %v", err)
		}
		fmt.Fprintln(tw, "POD ID\tSTATE\tNAME\tNAMESPACE")
		for _, p := range r.Items {
			fmt.Fprintf(tw, "%.13s\t%s\t%s\t%s\n", p.Id, p.State, p.Metadata.GetName(), p.Metadata.GetNamespace())
		}
	default:
		die("crictl (minimal): unsupported command %q", args[0])
	}
}
