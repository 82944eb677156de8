package promote

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"berth/convert"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/daemon"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// ImagePin is how one image of the manifests reaches production.
type ImagePin struct {
	Rendered string // as the conversion rendered it (a tag)
	Pinned   string // name[:tag]@sha256:..., "" when it could not be pinned
	Source   string // the local image pushed to Rendered's registry; "" for others
	Pushed   bool   // pushed by this promotion (false in a dry run)
	Problem  string // why it is not pinned
}

// daemonImages reads images from the local docker daemon.
type daemonImages struct{}

func (daemonImages) Image(ctx context.Context, ref string) (v1.Image, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return nil, err
	}
	return daemon.Image(r, daemon.WithContext(ctx))
}

// pinImages resolves every image of the pod templates to a digest. Images
// `berth up` built (the local environment's names) are read from docker and,
// unless DryRun, pushed under the target environment's name; the digest is
// the image's own, so a dry run shows the digest a push would give. Other
// images are resolved with a HEAD request to their registry. Images already
// given by digest are kept.
func (p *Plan) pinImages(ctx context.Context, o *Options, target, local *convert.Bundle) error {
	sources := builtSources(target, local)
	refs := imagesOf(p.Objects)
	pins := make([]ImagePin, len(refs))
	forEach(len(refs), 8, func(i int) {
		pins[i] = p.pinOne(ctx, o, refs[i], sources[refs[i]])
	})
	p.Images = pins
	p.digests = map[string]string{}
	for _, pin := range pins {
		if pin.Pinned != "" {
			p.digests[pin.Rendered] = pin.Pinned
		}
	}
	for _, obj := range p.Objects {
		if spec := podSpecOf(obj); spec != nil {
			pinContainers(spec.InitContainers, p.digests)
			pinContainers(spec.Containers, p.digests)
		}
	}
	return nil
}

func (p *Plan) pinOne(ctx context.Context, o *Options, ref, source string) ImagePin {
	pin := ImagePin{Rendered: ref, Source: source}
	if strings.Contains(ref, "@sha256:") {
		pin.Pinned = ref
		return pin
	}
	dst, err := name.ParseReference(ref)
	if err != nil {
		pin.Problem = fmt.Sprintf("not an image reference: %v", err)
		return pin
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(o.Keychain), remote.WithTransport(o.Transport)}
	if source == "" {
		desc, err := remote.Head(dst, opts...)
		if err != nil {
			pin.Problem = fmt.Sprintf("cannot resolve its digest: %v", err)
			return pin
		}
		pin.Pinned = ref + "@" + desc.Digest.String()
		return pin
	}
	img, err := o.Images.Image(ctx, source)
	if err != nil {
		pin.Problem = fmt.Sprintf("the image `berth up` built, %s, is not in the local docker (run `berth up` first): %v", source, err)
		return pin
	}
	digest, err := img.Digest()
	if err != nil {
		pin.Problem = fmt.Sprintf("digest of %s: %v", source, err)
		return pin
	}
	if !o.DryRun {
		if err := remote.Write(dst, img, opts...); err != nil {
			pin.Problem = fmt.Sprintf("push %s to %s: %v", source, ref, err)
			return pin
		}
		pin.Pushed = true
	}
	// The tag of a built image follows the environment's tag policy (the
	// commit, the compose hash) and changes when the image does not; the
	// reference in the manifests is the digest alone, so a service whose
	// image did not change does not roll. The tag stays in the registry.
	pin.Pinned = dst.Context().Name() + "@" + digest.String()
	return pin
}

// builtSources maps each built image's target name to the local name `berth
// up` gave it (the local environment's conversion of the same service).
func builtSources(target, local *convert.Bundle) map[string]string {
	localBySvc := map[string]string{}
	for _, ib := range local.Images {
		localBySvc[ib.Service] = ib.Image
	}
	out := map[string]string{}
	for _, ib := range target.Images {
		if src, ok := localBySvc[ib.Service]; ok {
			out[ib.Image] = src
		}
	}
	return out
}

// imagesOf lists the distinct images of every pod template, sorted.
func imagesOf(objs []convert.Object) []string {
	set := map[string]bool{}
	for _, o := range objs {
		spec := podSpecOf(o)
		if spec == nil {
			continue
		}
		for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
			set[c.Image] = true
		}
	}
	out := make([]string, 0, len(set))
	for i := range set {
		out = append(out, i)
	}
	sort.Strings(out)
	return out
}

func pinContainers(cs []corev1.Container, digests map[string]string) {
	for i := range cs {
		if d, ok := digests[cs[i].Image]; ok {
			cs[i].Image = d
		}
	}
}

// podSpecOf returns the pod spec of a workload, nil for other objects.
func podSpecOf(o convert.Object) *corev1.PodSpec {
	switch t := o.(type) {
	case *appsv1.Deployment:
		return &t.Spec.Template.Spec
	case *appsv1.StatefulSet:
		return &t.Spec.Template.Spec
	case *appsv1.DaemonSet:
		return &t.Spec.Template.Spec
	case *batchv1.Job:
		return &t.Spec.Template.Spec
	case *batchv1.CronJob:
		return &t.Spec.JobTemplate.Spec.Template.Spec
	}
	return nil
}

// forEach runs fn(0..n-1) on at most workers goroutines.
func forEach(n, workers int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers && w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
