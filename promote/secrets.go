package promote

import (
	"context"
	"fmt"
	"os"
	"sort"

	"berth/convert"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// secretValues are Secret values by Secret name and key. They live in memory
// only and go nowhere but the API server.
type secretValues map[string]map[string]string

// fillSecrets finds a value for every key of every Secret the manifests
// declare: from its source (.env, env_file, secret file, the environment)
// like `berth up`, else from the Secret already in the target. Keys with no
// value anywhere, and Secrets the pods or Ingresses reference that neither
// the manifests declare nor the target has, are listed for the secrets gate.
func (p *Plan) fillSecrets(ctx context.Context, b *convert.Bundle) error {
	for _, s := range b.Secrets {
		v, err := sourceValue(s)
		if err != nil {
			return err
		}
		if p.secrets[s.Secret] == nil {
			p.secrets[s.Secret] = map[string]string{}
		}
		if v != "" {
			p.secrets[s.Secret][s.Key] = v
		}
	}
	declared := map[string]bool{}
	for _, o := range p.Objects {
		sec, ok := o.(*corev1.Secret)
		if !ok {
			continue
		}
		declared[sec.Name] = true
		if err := p.fillFromLive(ctx, sec); err != nil {
			return err
		}
	}
	return p.checkReferencedSecrets(ctx, declared)
}

func sourceValue(s convert.SecretSource) (string, error) {
	switch {
	case s.Value != "":
		return s.Value, nil
	case s.File != "":
		data, err := os.ReadFile(s.File)
		if err != nil {
			return "", fmt.Errorf("secret %s key %s: %w", s.Secret, s.Key, err)
		}
		return string(data), nil
	case s.EnvVar != "":
		return os.Getenv(s.EnvVar), nil
	}
	return "", nil
}

// fillFromLive takes the values a source does not give from the live Secret.
func (p *Plan) fillFromLive(ctx context.Context, sec *corev1.Secret) error {
	vals := p.secrets[sec.Name]
	if vals == nil {
		vals = map[string]string{}
		p.secrets[sec.Name] = vals
	}
	var missing []string
	for k := range sec.StringData {
		if _, ok := vals[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	live, err := p.liveSecret(ctx, sec.Name)
	if err != nil {
		return err
	}
	sort.Strings(missing)
	for _, k := range missing {
		if live != nil && live.Data[k] != nil {
			vals[k] = string(live.Data[k])
			continue
		}
		p.missingSecrets = append(p.missingSecrets, fmt.Sprintf("Secret %s key %s has no value in its source and none in the target", sec.Name, k))
	}
	return nil
}

func (p *Plan) liveSecret(ctx context.Context, name string) (*corev1.Secret, error) {
	if !p.NamespaceExists {
		return nil, nil
	}
	s, err := p.client.Typed.CoreV1().Secrets(p.Namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read Secret %s/%s: %w", p.Namespace, name, err)
	}
	return s, nil
}

// checkReferencedSecrets lists Secrets that pods (env, envFrom, volumes) or
// Ingresses (TLS) reference but the manifests do not declare: they must
// exist in the target already.
func (p *Plan) checkReferencedSecrets(ctx context.Context, declared map[string]bool) error {
	refs := map[string]string{}
	for _, o := range p.Objects {
		for name, by := range secretRefs(o) {
			if !declared[name] {
				refs[name] = by
			}
		}
	}
	names := make([]string, 0, len(refs))
	for n := range refs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		live, err := p.liveSecret(ctx, n)
		if err != nil {
			return err
		}
		if live == nil {
			p.missingSecrets = append(p.missingSecrets, fmt.Sprintf("Secret %s (used by %s) does not exist in the target", n, refs[n]))
		}
	}
	return nil
}

// secretRefs returns the Secrets an object needs (optional ones excluded).
func secretRefs(o convert.Object) map[string]string {
	out := map[string]string{}
	by := convert.Kind(o) + "/" + o.GetName()
	if ing, ok := o.(*networkingv1.Ingress); ok {
		for _, t := range ing.Spec.TLS {
			if t.SecretName != "" {
				out[t.SecretName] = by + " (TLS)"
			}
		}
	}
	spec := podSpecOf(o)
	if spec == nil {
		return out
	}
	for _, v := range spec.Volumes {
		if s := v.Secret; s != nil && (s.Optional == nil || !*s.Optional) {
			out[s.SecretName] = by
		}
	}
	for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		for _, e := range c.Env {
			if r := e.ValueFrom; r != nil && r.SecretKeyRef != nil && (r.SecretKeyRef.Optional == nil || !*r.SecretKeyRef.Optional) {
				out[r.SecretKeyRef.Name] = by
			}
		}
		for _, e := range c.EnvFrom {
			if r := e.SecretRef; r != nil && (r.Optional == nil || !*r.Optional) {
				out[r.Name] = by
			}
		}
	}
	return out
}

// withSecretValues returns the objects to send: Secrets carry their values
// (the rendered ones have none).
func (p *Plan) withSecretValues(objs []convert.Object) []convert.Object {
	out := make([]convert.Object, len(objs))
	for i, o := range objs {
		sec, ok := o.(*corev1.Secret)
		if !ok {
			out[i] = o
			continue
		}
		filled := sec.DeepCopy()
		delete(filled.Annotations, convert.AnnotationSecretValues)
		filled.StringData = map[string]string{}
		for k, v := range p.secrets[sec.Name] {
			if _, declared := sec.StringData[k]; declared {
				filled.StringData[k] = v
			}
		}
		out[i] = filled
	}
	return out
}
