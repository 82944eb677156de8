package convert_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
)

// TestWaitForNamelessServiceResolves runs the init container berth writes
// for a dependency without ports in the wait image itself (busybox), on a
// Docker network whose search domain stands for the pod's namespace domain:
// it must finish once the name resolves and keep waiting while it does not.
// busybox's nslookup fails for a short name whenever a search domain lacks
// it, so `until nslookup db` waited forever in every pod.
func TestWaitForNamelessServiceResolves(t *testing.T) {
	image := os.Getenv("BERTH_WAIT_IMAGE")
	if err := exec.Command("docker", "image", "inspect", image).Run(); image == "" || err != nil {
		msg := fmt.Sprintf("SKIPPING: needs Docker and the wait image BERTH_WAIT_IMAGE (%q)", image)
		if os.Getenv("BERTH_E2E") == "1" {
			t.Fatal(msg + ", and BERTH_E2E=1 demands it")
		}
		t.Skip(msg)
	}
	b, err := convertYAML(t, "services:\n  worker:\n    image: busybox\n  web:\n    image: nginx\n    depends_on: [worker]\n", "local")
	if err != nil {
		t.Fatal(err)
	}
	script := find[*appsv1.Deployment](b, "web").Spec.Template.Spec.InitContainers[0].Command[2]
	net := fmt.Sprintf("berth-waittest-%d", time.Now().UnixNano())
	docker(t, "network", "create", net)
	t.Cleanup(func() { _ = exec.Command("docker", "network", "rm", net).Run() })
	// "worker" in namespace "ns" of domain "svc.test": the name a pod asks for
	target := docker(t, "run", "-d", "--rm", "--network", net, "--network-alias", "worker.ns.svc.test", image, "sleep", "120")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", strings.TrimSpace(target)).Run() })

	run := func(script string) error {
		name := fmt.Sprintf("%s-%d", net, time.Now().UnixNano())
		defer func() { _ = exec.Command("docker", "rm", "-f", name).Run() }() // a wait that never ends outlives the CLI
		ctx, cancel := context.WithTimeout(context.Background(), 12*time.Second)
		defer cancel()
		return exec.CommandContext(ctx, "docker", "run", "--rm", "--name", name, "--network", net,
			"--dns-search", "ns.svc.test", "--dns-search", "svc.test", image, "sh", "-c", script).Run()
	}
	if err := run(script); err != nil {
		t.Errorf("the wait for worker did not finish though worker resolves (%v):\n%s", err, script)
	}
	if err := run(strings.ReplaceAll(script, "worker", "nosuch")); err == nil {
		t.Errorf("the wait for a name that does not resolve finished:\n%s", script)
	}
}

func docker(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
