package convert

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"berth/internal/gencompose"
	"github.com/compose-spec/compose-go/v2/types"
)

// TestShardsConvertAsInOrder: converting the services in two halves gives
// byte for byte what converting them in order gives (objects, report,
// images, secrets, ports, binds, errors), for every compose file of the
// tests and the corpus in two environments, and for generated projects.
// Every project of two services or more goes through both halves. Run it
// with -race too: the halves must share nothing they write.
func TestShardsConvertAsInOrder(t *testing.T) {
	files := composeFiles(t)
	dir := t.TempDir()
	for _, shape := range []gencompose.Shape{gencompose.Chain, gencompose.Diamond} {
		path := filepath.Join(dir, string(shape)+".yaml")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := gencompose.Write(f, 300, shape); err != nil {
			t.Fatal(err)
		}
		f.Close()
		files = append(files, path)
	}
	sharded := 0
	for _, file := range files {
		l, err := Load(context.Background(), LoadOptions{Files: []string{file}, ProjectDir: filepath.Dir(file),
			ProjectName: "shards", Environ: []string{}, Profiles: []string{"*"}})
		if err != nil {
			continue
		}
		if len(l.Project.Services) >= 2 && len(podOwners(l.Project)) == 0 {
			sharded++
		}
		for _, env := range []string{"local", "prod"} {
			o := l.Options()
			o.Env = env
			inOrder := convertSharded(t, l.Project, o, 1<<30)
			if halves := convertSharded(t, l.Project, o, 2); halves != inOrder {
				t.Errorf("%s (%s): converting in two halves differs from converting in order:\n%s", file, env, firstLineDiff(inOrder, halves))
			}
		}
	}
	if sharded < 20 {
		t.Errorf("only %d projects went through two halves", sharded)
	}
}

// TestShardsTiedServices: services of both halves that make the same
// ConfigMap, Secret or PVC, or a half that fails, convert as in order.
func TestShardsTiedServices(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.bin")
	if err := os.WriteFile(big, make([]byte, MaxConfigMapBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	service := func(name, extra string) string {
		return "  " + name + ":\n    image: app\n    configs: [shared]\n    secrets: [token]\n" + extra
	}
	top := "configs:\n  shared:\n    content: hello\nsecrets:\n  token:\n    environment: TOKEN\nvolumes:\n  data: {}\n"
	bigMount := "    volumes: [\"./big.bin:/big.bin\"]\n"
	cases := map[string]string{
		"shared": service("a", "    volumes: [\"data:/data\"]\n") + service("b", "") + service("c", "") +
			service("d", "    volumes: [\"data:/data\"]\n"),
		"second half fails": service("a", "") + service("b", "") + service("c", "") + service("d", bigMount),
		"both halves fail":  service("a", bigMount) + service("b", "") + service("c", "") + service("d", bigMount),
	}
	for name, services := range cases {
		path := filepath.Join(dir, "compose.yaml")
		if err := os.WriteFile(path, []byte("services:\n"+services+top), 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := Load(context.Background(), LoadOptions{Files: []string{path}, ProjectName: "tied", Environ: []string{"TOKEN=x"}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		inOrder := convertSharded(t, l.Project, l.Options(), 1<<30)
		if halves := convertSharded(t, l.Project, l.Options(), 2); halves != inOrder {
			t.Errorf("%s: converting in two halves differs from converting in order:\n%s", name, firstLineDiff(inOrder, halves))
		}
		if wantErr := name != "shared"; wantErr != strings.HasPrefix(inOrder, "error: ") {
			t.Errorf("%s: got %.200s", name, inOrder)
		}
	}
}

// convertSharded converts with shardMinServices set to min and dumps the result.
func convertSharded(t *testing.T, p *types.Project, o Options, min int) string {
	t.Helper()
	defer func(old int) { shardMinServices = old }(shardMinServices)
	shardMinServices = min
	b, err := Convert(p, o)
	if err != nil {
		return "error: " + err.Error()
	}
	out, err := json.Marshal(struct {
		Objects                []Object
		Entries                []Entry
		Notes                  []string
		Images                 []ImageBuild
		Ports                  []PublishedPort
		Binds                  []BindMount
		Secrets, Project, Kind string
	}{b.Objects, b.Report.Entries, b.Report.Notes, b.Images, b.Ports, b.Binds, fmt.Sprintf("%+v", b.Secrets), b.Project, b.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// firstLineDiff shows where two dumps part.
func firstLineDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(i-200, 0)
	return fmt.Sprintf("in order: …%s…\nhalves:   …%s…", a[from:min(i+200, len(a))], b[from:min(i+200, len(b))])
}
