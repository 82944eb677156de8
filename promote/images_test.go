package promote

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"berth/convert"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// mirror sends every registry request, whatever its host, to one in-process
// registry over plain HTTP, so names like docker.io/library/busybox resolve
// there.
type mirror struct{ target *url.URL }

func (m mirror) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = m.target.Scheme, m.target.Host
	r.Host = m.target.Host
	return http.DefaultTransport.RoundTrip(r)
}

// testRegistry starts an in-process registry and returns a transport that
// routes every registry to it.
func testRegistry(t testing.TB) http.RoundTripper {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return mirror{target: u}
}

// putImage writes a random image under ref and returns its digest.
func putImage(t testing.TB, tr http.RoundTripper, ref string) v1.Hash {
	t.Helper()
	img, err := random.Image(512, 2)
	if err != nil {
		t.Fatal(err)
	}
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img, remote.WithTransport(tr)); err != nil {
		t.Fatalf("write %s: %v", ref, err)
	}
	d, _ := img.Digest()
	return d
}

// fakeDocker is a local image store holding given images.
type fakeDocker map[string]v1.Image

func (f fakeDocker) Image(_ context.Context, ref string) (v1.Image, error) {
	if img, ok := f[ref]; ok {
		return img, nil
	}
	return nil, fmt.Errorf("no such image: %s", ref)
}

func deployment(name string, init, image string) *appsv1.Deployment {
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop"}}
	d.Spec.Template.Spec.InitContainers = []corev1.Container{{Name: "wait", Image: init}}
	d.Spec.Template.Spec.Containers = []corev1.Container{{Name: name, Image: image}}
	return d
}

func TestPinImagesPushesBuiltAndResolvesPublic(t *testing.T) {
	tr := testRegistry(t)
	busybox := putImage(t, tr, "busybox:1.36")
	built, err := random.Image(1024, 3)
	if err != nil {
		t.Fatal(err)
	}
	builtDigest, _ := built.Digest()
	dep := deployment("web", "busybox:1.36", "registry.example.com/shop-web:abc")
	p := &Plan{Objects: []convert.Object{dep}}
	o := &Options{Images: fakeDocker{"shop-web:latest": built}, Keychain: authn.DefaultKeychain, Transport: tr}
	target := &convert.Bundle{Images: []convert.ImageBuild{{Service: "web", Image: "registry.example.com/shop-web:abc"}}}
	local := &convert.Bundle{Images: []convert.ImageBuild{{Service: "web", Image: "shop-web:latest"}}}
	if err := p.pinImages(context.Background(), o, target, local); err != nil {
		t.Fatal(err)
	}
	spec := dep.Spec.Template.Spec
	// Built images are pinned by digest alone: their tag follows the commit.
	if want := "registry.example.com/shop-web@" + builtDigest.String(); spec.Containers[0].Image != want {
		t.Errorf("built image pinned as %q, want %q", spec.Containers[0].Image, want)
	}
	if want := "busybox:1.36@" + busybox.String(); spec.InitContainers[0].Image != want {
		t.Errorf("public image pinned as %q, want %q", spec.InitContainers[0].Image, want)
	}
	// The push really happened: the registry serves the built image by its digest.
	ref, _ := name.ParseReference("registry.example.com/shop-web:abc")
	desc, err := remote.Head(ref, remote.WithTransport(tr))
	if err != nil {
		t.Fatalf("pushed image not in the registry: %v", err)
	}
	if desc.Digest != builtDigest {
		t.Errorf("registry has %s, want %s", desc.Digest, builtDigest)
	}
	if v := gateImages(p.Images, false); !v.OK {
		t.Errorf("images gate refuses: %s", v.Message)
	}
}

func TestPinImagesDryRunDoesNotPush(t *testing.T) {
	tr := testRegistry(t)
	putImage(t, tr, "busybox:1.36")
	built, _ := random.Image(256, 1)
	dep := deployment("web", "busybox:1.36", "registry.example.com/shop-web:abc")
	p := &Plan{Objects: []convert.Object{dep}}
	o := &Options{DryRun: true, Images: fakeDocker{"shop-web:latest": built}, Keychain: authn.DefaultKeychain, Transport: tr}
	target := &convert.Bundle{Images: []convert.ImageBuild{{Service: "web", Image: "registry.example.com/shop-web:abc"}}}
	local := &convert.Bundle{Images: []convert.ImageBuild{{Service: "web", Image: "shop-web:latest"}}}
	if err := p.pinImages(context.Background(), o, target, local); err != nil {
		t.Fatal(err)
	}
	d, _ := built.Digest()
	if got := dep.Spec.Template.Spec.Containers[0].Image; !strings.HasSuffix(got, "@"+d.String()) {
		t.Errorf("dry run pinned %q, want the local image's digest %s", got, d)
	}
	ref, _ := name.ParseReference("registry.example.com/shop-web:abc")
	if _, err := remote.Head(ref, remote.WithTransport(tr)); err == nil {
		t.Error("a dry run pushed the image")
	}
	for _, pin := range p.Images {
		if pin.Pushed {
			t.Errorf("%s marked pushed in a dry run", pin.Rendered)
		}
	}
}

func TestUnreachableRegistryRefusesUnlessAllowed(t *testing.T) {
	tr := testRegistry(t) // holds nothing: every HEAD is a 404
	dep := deployment("db", "busybox:1.36", "postgres:16")
	p := &Plan{Objects: []convert.Object{dep}}
	o := &Options{Images: fakeDocker{}, Keychain: authn.DefaultKeychain, Transport: tr}
	if err := p.pinImages(context.Background(), o, &convert.Bundle{}, &convert.Bundle{}); err != nil {
		t.Fatal(err)
	}
	if got := dep.Spec.Template.Spec.Containers[0].Image; got != "postgres:16" {
		t.Errorf("unresolvable image changed to %q", got)
	}
	v := gateImages(p.Images, false)
	if v.OK || !v.blocks() || !strings.Contains(v.Message, "postgres:16") || v.Flag != "--allow-unpinned" {
		t.Errorf("gate = %+v, want a refusal naming postgres:16", v)
	}
	if v := gateImages(p.Images, true); v.blocks() || !v.Overridden {
		t.Errorf("--allow-unpinned: gate = %+v, want overridden", v)
	}
}

func TestDigestReferencesAreKept(t *testing.T) {
	const ref = "postgres:16@sha256:0000000000000000000000000000000000000000000000000000000000000000"
	dep := deployment("db", ref, ref)
	p := &Plan{Objects: []convert.Object{dep}}
	o := &Options{Images: fakeDocker{}, Keychain: authn.DefaultKeychain, Transport: testRegistry(t)}
	if err := p.pinImages(context.Background(), o, &convert.Bundle{}, &convert.Bundle{}); err != nil {
		t.Fatal(err)
	}
	if len(p.Images) != 1 || p.Images[0].Pinned != ref {
		t.Errorf("pins = %+v, want the digest reference kept", p.Images)
	}
}

func TestMissingBuiltImageIsNamed(t *testing.T) {
	tr := testRegistry(t)
	dep := deployment("web", "registry.example.com/shop-web:abc", "registry.example.com/shop-web:abc")
	p := &Plan{Objects: []convert.Object{dep}}
	o := &Options{Images: fakeDocker{}, Keychain: authn.DefaultKeychain, Transport: tr}
	target := &convert.Bundle{Images: []convert.ImageBuild{{Service: "web", Image: "registry.example.com/shop-web:abc"}}}
	local := &convert.Bundle{Images: []convert.ImageBuild{{Service: "web", Image: "shop-web:latest"}}}
	_ = p.pinImages(context.Background(), o, target, local)
	if len(p.Images) != 1 || !strings.Contains(p.Images[0].Problem, "berth up") || !strings.Contains(p.Images[0].Problem, "shop-web:latest") {
		t.Errorf("pins = %+v, want a problem telling to run berth up and naming shop-web:latest", p.Images)
	}
}
