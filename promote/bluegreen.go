package promote

import (
	"context"
	"fmt"
	"sort"

	"berth/convert"
	"berth/internal/kube"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Blue-green (`x-berth: {strategy: blue-green}` on a service): instead of
// rolling the service's Deployment in place, promote runs the new version as
// a second Deployment, <name>-<colour> (blue or green, whichever is not
// live), whose pods carry LabelColor. The service's Services select the live
// colour. The rollout applies the new Deployment first, waits until it is
// ready, then switches the Services' selectors to the new colour, and only
// then prunes the old colour's Deployment (it is not in the new manifests).
// When the new colour does not become ready, the rollback re-applies the
// previous manifests, whose Services never stopped selecting the old colour,
// and prunes the new Deployment: traffic never reached it.

// LabelColor marks the pods (and selects them in the Services) of a
// blue-green service's colour.
const LabelColor = "berth.dev/color"

type blueGreenSwitch struct {
	service    string
	from, to   string // colours; from is "" on the first blue-green promotion
	deployment string // name of the new colour's Deployment
	services   map[string]bool
}

// blueGreenTransform rewrites the objects of blue-green services.
func (p *Plan) blueGreenTransform(ctx context.Context, b *convert.Bundle, objs []convert.Object) ([]convert.Object, error) {
	names := make([]string, 0)
	for name, svc := range p.loaded.Project.Services {
		if strategyOf(svc.Extensions) == "blue-green" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		var err error
		if objs, err = p.blueGreenService(ctx, name, objs); err != nil {
			return nil, err
		}
	}
	return objs, nil
}

func (p *Plan) blueGreenService(ctx context.Context, service string, objs []convert.Object) ([]convert.Object, error) {
	dep := findDeployment(objs, service)
	if dep == nil {
		p.Notes = append(p.Notes, fmt.Sprintf("service %s: blue-green applies to Deployments only; it rolls as its kind does", service))
		return objs, nil
	}
	from, err := p.liveColor(ctx, dep.Name)
	if err != nil {
		return nil, err
	}
	to, err := p.nextColor(ctx, dep, from)
	if err != nil {
		return nil, err
	}
	sw := blueGreenSwitch{service: service, from: from, to: to, deployment: dep.Name + "-" + to, services: map[string]bool{}}
	out := make([]convert.Object, 0, len(objs))
	for _, o := range objs {
		switch t := o.(type) {
		case *appsv1.Deployment:
			if t == dep {
				o = colored(t, sw.deployment, to)
			}
		case *corev1.Service:
			if t.Annotations[convert.AnnotationService] == service && len(t.Spec.Selector) > 0 {
				s := t.DeepCopy()
				s.Spec.Selector[LabelColor] = to
				sw.services[s.Name] = true
				o = s
			}
		case *autoscalingv2.HorizontalPodAutoscaler:
			if t.Spec.ScaleTargetRef.Kind == "Deployment" && t.Spec.ScaleTargetRef.Name == dep.Name {
				h := t.DeepCopy()
				h.Spec.ScaleTargetRef.Name = sw.deployment
				o = h
			}
		}
		out = append(out, o)
	}
	p.blueGreen = append(p.blueGreen, sw)
	return out, nil
}

// nextColor keeps the live colour when its Deployment would not change
// (nothing to switch), and otherwise picks the other one.
func (p *Plan) nextColor(ctx context.Context, dep *appsv1.Deployment, from string) (string, error) {
	switch from {
	case "":
		return "blue", nil
	case "blue", "green":
	default:
		return "", fmt.Errorf("blue-green: Service %s selects colour %q; expected blue or green", dep.Name, from)
	}
	same := colored(dep, dep.Name+"-"+from, from)
	ds, err := p.client.Diff(ctx, runtimeObjects([]convert.Object{same}), kube.DiffOptions{Namespace: p.Namespace, Force: true})
	if err == nil && len(ds) == 1 && (ds[0].Action == kube.Unchanged || ds[0].Action == kube.Configured && provenanceOnly(ds[0].Changes)) {
		return from, nil
	}
	if from == "blue" {
		return "green", nil
	}
	return "blue", nil
}

// colored copies a Deployment as one colour of a blue-green pair.
func colored(d *appsv1.Deployment, name, color string) *appsv1.Deployment {
	c := d.DeepCopy()
	c.Name = name
	sel := c.Spec.Selector.DeepCopy()
	sel.MatchLabels[LabelColor] = color
	c.Spec.Selector = sel
	c.Spec.Template.Labels[LabelColor] = color
	return c
}

// liveColor is the colour the live Service of a blue-green service selects,
// "" when there is none yet.
func (p *Plan) liveColor(ctx context.Context, service string) (string, error) {
	if !p.NamespaceExists {
		return "", nil
	}
	s, err := p.client.Typed.CoreV1().Services(p.Namespace).Get(ctx, service, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("blue-green: read Service %s: %w", service, err)
	}
	return s.Spec.Selector[LabelColor], nil
}

func findDeployment(objs []convert.Object, service string) *appsv1.Deployment {
	for _, o := range objs {
		if d, ok := o.(*appsv1.Deployment); ok && d.Annotations[convert.AnnotationService] == service {
			return d
		}
	}
	return nil
}

// strategyOf reads x-berth.strategy of a service's extensions.
func strategyOf(exts map[string]any) string {
	ext, _ := exts[convert.ExtensionKey].(map[string]any)
	s, _ := ext["strategy"].(string)
	return s
}

// switchedLater tells the Services a blue-green rollout applies only once the
// new colour is ready.
func (p *Plan) switchedLater(o convert.Object) bool {
	if convert.Kind(o) != "Service" {
		return false
	}
	for _, sw := range p.blueGreen {
		if sw.services[o.GetName()] {
			return true
		}
	}
	return false
}
