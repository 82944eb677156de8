package convert

import (
	"fmt"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// secretMounts mounts each compose secret of a service at /run/secrets/NAME
// (or its target) from a Secret, one file per secret: two secrets never share
// a path.
func (c *converter) secretMounts(s types.ServiceConfig, vols *podVolumes) ([]corev1.VolumeMount, error) {
	var out []corev1.VolumeMount
	paths := map[string]string{}
	for _, ref := range s.Secrets {
		top, ok := c.p.Secrets[ref.Source]
		if !ok {
			return nil, fmt.Errorf("%w: secrets: %q is not defined at the top level", ErrInvalidProject, ref.Source)
		}
		target := secretPath(ref.Source, ref.Target)
		if other, dup := paths[target]; dup {
			return nil, fmt.Errorf("%w: secrets %q and %q are both mounted at %s", ErrInvalidProject, other, ref.Source, target)
		}
		paths[target] = ref.Source
		name, key := c.composeSecret(ref.Source, types.FileObjectConfig(top))
		mode, modeText := c.fileMode(s.Name, "secrets."+ref.Source, types.FileReferenceConfig(ref))
		vol := "secret-" + shortHash(name+modeText)
		vols.add(corev1.Volume{Name: vol, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: name, DefaultMode: mode}}})
		out = append(out, corev1.VolumeMount{Name: vol, MountPath: target, SubPath: key, ReadOnly: true})
		c.rep.mapped(s.Name, "secrets."+ref.Source, "Secret %s mounted at %s%s", name, target, modeText)
	}
	return out, nil
}

func secretPath(source, target string) string {
	switch {
	case target == "":
		return "/run/secrets/" + source
	case strings.HasPrefix(target, "/"):
		return target
	default:
		return "/run/secrets/" + target
	}
}

// composeSecret returns the Secret (and key) holding a compose secret,
// creating it once; external secrets must already exist in the cluster.
func (c *converter) composeSecret(source string, top types.FileObjectConfig) (string, string) {
	key := secretKeyName(source)
	if top.External {
		name := top.Name
		if name == "" {
			name = source
		}
		return DNSName(name), key
	}
	name := "secret-" + DNSName(source)
	if c.secretsMade == nil {
		c.secretsMade = map[string]bool{}
	}
	if c.secretsMade[name] {
		return name, key
	}
	c.secretsMade[name] = true
	src := SecretSource{Secret: name, Key: key}
	value := ""
	switch {
	case top.File != "":
		src.File = top.File
		value = string(c.opts.Files[top.File])
	case top.Environment != "":
		src.EnvVar = top.Environment
		value = c.p.Environment[top.Environment]
	}
	src.Value = value
	c.b.Secrets = append(c.b.Secrets, src)
	c.add(c.secretObject(name, "", map[string]string{key: c.secretValue(value)}))
	return name, key
}

// configMounts mounts compose configs from ConfigMaps at the same path as compose.
func (c *converter) configMounts(s types.ServiceConfig, vols *podVolumes) ([]corev1.VolumeMount, error) {
	var out []corev1.VolumeMount
	for _, ref := range s.Configs {
		top, ok := c.p.Configs[ref.Source]
		if !ok {
			return nil, fmt.Errorf("%w: configs: %q is not defined at the top level", ErrInvalidProject, ref.Source)
		}
		name, key, err := c.composeConfig(ref.Source, types.FileObjectConfig(top))
		if err != nil {
			return nil, err
		}
		target := ref.Target
		if target == "" {
			target = "/" + ref.Source
		} else if !path.IsAbs(target) {
			target = "/" + target
		}
		mode, modeText := c.fileMode(s.Name, "configs."+ref.Source, types.FileReferenceConfig(ref))
		vol := "config-" + shortHash(name+modeText)
		vols.add(corev1.Volume{Name: vol, VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: name}, DefaultMode: mode,
		}}})
		out = append(out, corev1.VolumeMount{Name: vol, MountPath: target, SubPath: key, ReadOnly: true})
		c.rep.mapped(s.Name, "configs."+ref.Source, "ConfigMap %s mounted at %s%s", name, target, modeText)
	}
	return out, nil
}

func (c *converter) composeConfig(source string, top types.FileObjectConfig) (string, string, error) {
	key := secretKeyName(source)
	if top.External {
		name := top.Name
		if name == "" {
			name = source
		}
		return DNSName(name), key, nil
	}
	name := "config-" + DNSName(source)
	if _, made := c.configMaps[name]; made {
		return name, key, nil
	}
	var data []byte
	switch {
	case top.File != "":
		if msg, bad := c.opts.FileErrors[top.File]; bad {
			return "", "", fmt.Errorf("%w: configs.%s: %s", ErrInvalidProject, source, msg)
		}
		data = c.opts.Files[top.File]
	case top.Content != "":
		data = []byte(top.Content)
	case top.Environment != "":
		data = []byte(c.p.Environment[top.Environment])
	}
	if len(data) > MaxConfigMapBytes {
		return "", "", fmt.Errorf("%w: configs.%s is %d bytes; a ConfigMap holds at most 1 MiB", ErrInvalidProject, source, len(data))
	}
	c.addConfigMapKey(name, "", key, data)
	return name, key, nil
}
