package render_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"berth/convert"
	"berth/internal/kube"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
)

// crdDir holds the CRDs of the optional APIs berth renders (HTTPRoute,
// Gateway, ServiceMonitor), vendored from their modules (see the header of
// each file) so the test needs neither the modules nor the network.
const crdDir = "testdata/crds"

var crdResource = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// installCRDs applies every CRD under crdDir to the cluster (for real: a
// dry run would not serve the kinds) and waits until each is established
// and its versions are in discovery. The CRDs stay installed: the control
// plane is shared, and applying them again changes nothing.
func installCRDs(t *testing.T, kubeconfig string) {
	t.Helper()
	client, err := kube.NewClient(kubeconfig, "")
	if err != nil {
		t.Fatal(err)
	}
	crds := readCRDs(t)
	objs := make([]runtime.Object, len(crds))
	for i, c := range crds {
		objs[i] = c
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := client.Apply(ctx, objs, kube.ApplyOptions{Force: true}); err != nil {
		t.Fatalf("install CRDs: %v", err)
	}
	for _, c := range crds {
		if err := waitServed(ctx, client, c); err != nil {
			t.Fatalf("CRD %s: %v", c.GetName(), err)
		}
	}
	t.Logf("installed %d CRDs from %s", len(crds), crdDir)
}

func readCRDs(t *testing.T) []*unstructured.Unstructured {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(crdDir, "*.yaml"))
	if len(files) == 0 {
		t.Fatalf("no CRDs in %s", crdDir)
	}
	var out []*unstructured.Unstructured
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			var m map[string]any
			err := dec.Decode(&m)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if m != nil {
				out = append(out, &unstructured.Unstructured{Object: m})
			}
		}
	}
	return out
}

// waitServed waits until the CRD is Established and discovery lists its
// kind in every served version.
func waitServed(ctx context.Context, client *kube.Client, crd *unstructured.Unstructured) error {
	group, _, _ := unstructured.NestedString(crd.Object, "spec", "group")
	kind, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "kind")
	versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
	var last error
	for {
		last = served(ctx, client, crd.GetName(), group, kind, versions)
		if last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func served(ctx context.Context, client *kube.Client, name, group, kind string, versions []any) error {
	live, err := client.Dynamic.Resource(crdResource).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	if !established(live) {
		return errors.New("not Established yet")
	}
	for _, v := range versions {
		vm, _ := v.(map[string]any)
		if s, _ := vm["served"].(bool); !s {
			continue
		}
		gv := group + "/" + vm["name"].(string)
		raw, err := client.Typed.CoreV1().RESTClient().Get().AbsPath("/apis/" + gv).DoRaw(ctx)
		if err != nil {
			return err
		}
		var list metav1.APIResourceList
		if err := json.Unmarshal(raw, &list); err != nil {
			return err
		}
		found := false
		for _, r := range list.APIResources {
			found = found || r.Kind == kind
		}
		if !found {
			return errors.New(gv + " does not list " + kind + " yet")
		}
	}
	return nil
}

func established(crd *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conds {
		cm, _ := c.(map[string]any)
		if cm["type"] == "Established" && cm["status"] == "True" {
			return true
		}
	}
	return false
}

// TestCRDsCoverRenderedKinds checks, without a cluster, that every kind
// berth renders in any environment of any case is either built into
// Kubernetes or defined by a CRD under crdDir, so the acceptance test can
// install everything it needs.
func TestCRDsCoverRenderedKinds(t *testing.T) {
	defined := map[schema.GroupVersionKind]bool{}
	for _, c := range readCRDs(t) {
		group, _, _ := unstructured.NestedString(c.Object, "spec", "group")
		kind, _, _ := unstructured.NestedString(c.Object, "spec", "names", "kind")
		versions, _, _ := unstructured.NestedSlice(c.Object, "spec", "versions")
		for _, v := range versions {
			name, _ := v.(map[string]any)["name"].(string)
			defined[schema.GroupVersionKind{Group: group, Version: name, Kind: kind}] = true
		}
	}
	for _, tc := range allCases(t) {
		l, err := tc.load()
		if err != nil {
			t.Fatalf("%s: load: %v", tc.name, err)
		}
		for _, env := range convert.EnvironmentNames(l.Project.Extensions) {
			o := l.Options()
			o.Env = env
			b, err := convert.Convert(l.Project, o)
			if err != nil {
				t.Fatalf("%s: convert --env %s: %v", tc.name, env, err)
			}
			for _, obj := range b.Objects {
				gvk := obj.GetObjectKind().GroupVersionKind()
				if !scheme.Scheme.Recognizes(gvk) && !defined[gvk] {
					t.Errorf("%s --env %s: %s %s: %s is neither built in nor in %s", tc.name, env, convert.Kind(obj), obj.GetName(), gvk, crdDir)
				}
			}
		}
	}
}
