package convert_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"berth/convert"
	"berth/render"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// corpusDir holds real compose files written by other people.
const corpusDir = "../../shared/corpus"

type corpusCase struct {
	name  string
	files []string
	loads bool
}

func corpusCases(t *testing.T) []corpusCase {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "cases.tsv"))
	if err != nil {
		t.Skipf("corpus not available (%v); it lives beside the repository in ../shared/corpus", err)
	}
	defer f.Close()
	var out []corpusCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 || cols[0] == "case" {
			continue
		}
		out = append(out, corpusCase{name: cols[0], files: strings.Split(cols[1], ","), loads: cols[2] == "yes"})
	}
	return out
}

// TestCorpus converts every corpus case, with default and with all
// profiles, and checks what any conversion must guarantee.
func TestCorpus(t *testing.T) {
	for _, cc := range corpusCases(t) {
		cc := cc
		for _, profiles := range [][]string{nil, {"*"}} {
			name := cc.name
			if profiles != nil {
				name += "/all-profiles"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				checkCorpusCase(t, cc, profiles)
			})
		}
	}
}

func checkCorpusCase(t *testing.T, cc corpusCase, profiles []string) {
	dir, _ := filepath.Abs(filepath.Join(corpusDir, cc.name))
	var files []string
	for _, f := range cc.files {
		files = append(files, filepath.Join(dir, f))
	}
	loaded, err := convert.Load(context.Background(), convert.LoadOptions{
		Files: files, ProjectDir: dir, ProjectName: cc.name, Profiles: profiles, Environ: []string{},
	})
	if !cc.loads {
		if err == nil {
			t.Fatalf("compose refuses this case but berth loaded it")
		}
		return
	}
	if err != nil {
		t.Fatalf("compose loads this case but berth fails: %v", err)
	}
	b, err := convert.Convert(loaded.Project, loaded.Options())
	if err != nil {
		if strings.Contains(err.Error(), "1 MiB") || strings.Contains(err.Error(), "outside the project") {
			return // a clear refusal the issue asks for
		}
		t.Fatalf("convert: %v", err)
	}
	out, err := render.Stream(b.Objects)
	if err != nil {
		t.Fatal(err)
	}
	checkYAMLParses(t, out)
	checkWorkloads(t, loaded.Project, b)
	checkPortServices(t, loaded.Project, b)
	checkNoSecretValues(t, loaded.Project, b, out)
	checkNames(t, b)
}

func checkYAMLParses(t *testing.T, out []byte) {
	for i, doc := range strings.Split(string(out), "\n---\n") {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			t.Errorf("document %d does not parse: %v", i, err)
		}
		if m["kind"] == nil || m["apiVersion"] == nil {
			t.Errorf("document %d lacks kind or apiVersion", i)
		}
	}
}

var workloadKinds = map[string]bool{"Deployment": true, "StatefulSet": true, "DaemonSet": true, "Job": true}

// checkWorkloads: one workload per active service, except services that run
// inside another's pod (network_mode: service:X).
func checkWorkloads(t *testing.T, p *types.Project, b *convert.Bundle) {
	workloads := map[string]int{}
	for _, o := range b.Objects {
		if workloadKinds[convert.Kind(o)] {
			workloads[o.GetAnnotations()[convert.AnnotationService]]++
		}
	}
	for name, s := range p.Services {
		if strings.HasPrefix(s.NetworkMode, "service:") {
			if _, ok := p.Services[strings.TrimPrefix(s.NetworkMode, "service:")]; ok {
				continue
			}
		}
		if workloads[name] != 1 {
			t.Errorf("service %s has %d workloads, want 1", name, workloads[name])
		}
	}
}

// checkPortServices: every published or exposed port is served by a Service
// of the same compose service (or of the pod it joins) on the container port.
func checkPortServices(t *testing.T, p *types.Project, b *convert.Bundle) {
	served := map[string]bool{}
	for _, o := range b.Objects {
		if convert.Kind(o) != "Service" {
			continue
		}
		m, _ := render.ToMap(o)
		spec, _ := m["spec"].(map[string]any)
		ports, _ := spec["ports"].([]any)
		for _, pp := range ports {
			port := pp.(map[string]any)["port"]
			served[o.GetAnnotations()[convert.AnnotationService]+":"+jsonNum(port)] = true
		}
	}
	for name, s := range p.Services {
		owner := name
		if target, ok := strings.CutPrefix(s.NetworkMode, "service:"); ok {
			if _, exists := p.Services[target]; exists {
				owner = target
			}
		}
		for _, port := range s.Ports {
			if !served[owner+":"+jsonNum(float64(port.Target))] && !served[name+":"+jsonNum(float64(port.Target))] {
				t.Errorf("service %s: published port %d has no Service", name, port.Target)
			}
		}
	}
}

func jsonNum(v any) string {
	f, _ := v.(float64)
	return strconv.Itoa(int(f))
}

// checkNoSecretValues: Secrets are printed without values, secret-looking
// variables are never literal, and no secret value appears anywhere unless
// the same text is also a non-secret value of the project (POSTGRES_DB=app,
// POSTGRES_PASSWORD=app).
func checkNoSecretValues(t *testing.T, p *types.Project, b *convert.Bundle, out []byte) {
	public := map[string]bool{}
	for _, s := range p.Services {
		for k, v := range s.Environment {
			if v != nil && !convert.IsSecretName(k) {
				public[*v] = true
			}
		}
	}
	for _, s := range b.Secrets {
		if len(s.Value) >= 4 && !public[s.Value] && strings.Contains(string(out), s.Value) {
			t.Errorf("secret %s/%s: its value appears in the manifests", s.Secret, s.Key)
		}
	}
	for _, o := range b.Objects {
		if sec, ok := o.(*corev1.Secret); ok {
			for k, v := range sec.StringData {
				if v != "" {
					t.Errorf("Secret %s key %s is printed with a value", sec.Name, k)
				}
			}
		}
	}
}

func checkNames(t *testing.T, b *convert.Bundle) {
	for _, o := range b.Objects {
		if errs := validation.IsDNS1123Subdomain(o.GetName()); len(errs) > 0 {
			t.Errorf("%s %q: invalid name: %v", convert.Kind(o), o.GetName(), errs)
		}
		kind := convert.Kind(o)
		if kind == "Service" || kind == "Namespace" || workloadKinds[kind] {
			if errs := validation.IsDNS1123Label(o.GetName()); len(errs) > 0 {
				t.Errorf("%s %q: invalid name: %v", kind, o.GetName(), errs)
			}
		}
	}
}
