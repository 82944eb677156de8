package kube

import (
	"os"
	"path/filepath"
	"testing"
)

const twoContexts = `apiVersion: v1
kind: Config
current-context: a
clusters:
- name: a
  cluster: {server: "https://a.example:6443"}
- name: b
  cluster: {server: "https://b.example:6443"}
users:
- name: u
  user: {token: not-a-secret}
contexts:
- name: a
  context: {cluster: a, user: u}
- name: b
  context: {cluster: b, user: u, namespace: shop}
`

func TestNewClientHonoursContextAndKUBECONFIG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, []byte(twoContexts), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", path)
	cases := []struct{ context, host, ns string }{
		{"", "https://a.example:6443", "default"},
		{"b", "https://b.example:6443", "shop"},
	}
	for _, c := range cases {
		cl, err := NewClient("", c.context)
		if err != nil {
			t.Fatal(err)
		}
		if cl.Config.Host != c.host || cl.Namespace != c.ns {
			t.Errorf("context %q: host %s ns %s, want %s %s", c.context, cl.Config.Host, cl.Namespace, c.host, c.ns)
		}
		if want := map[string]string{"": "a", "b": "b"}[c.context]; cl.Context != want {
			t.Errorf("context %q: Context = %q, want %q", c.context, cl.Context, want)
		}
	}
	if _, err := NewClient("", "nope"); err == nil {
		t.Fatal("unknown context accepted")
	}
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "missing"))
	if _, err := NewClient(path, "b"); err != nil {
		t.Fatalf("explicit path should win over KUBECONFIG: %v", err)
	}
}
