package convert

import (
	corev1 "k8s.io/api/core/v1"
)

func (c *converter) addNamespace() {
	ns := &corev1.Namespace{ObjectMeta: c.meta(c.namespace, "")}
	ns.Namespace = ""
	c.add(typeMeta(ns, "", "v1", "Namespace"))
}

// convertTopLevel reports the project's top-level keys.
func (c *converter) convertTopLevel() error {
	c.rep.mapped("", "name", "namespace %s and label %s=%s", c.namespace, LabelPartOf, c.project)
	for _, n := range sortedKeys(c.p.Networks) {
		c.rep.approx("", "networks."+n, "one flat cluster network; NetworkPolicy keeps services on no common network apart")
	}
	for _, n := range sortedKeys(c.p.Volumes) {
		if c.p.Volumes[n].External {
			c.rep.approx("", "volumes."+n, "external: an existing PersistentVolumeClaim %s is expected", c.claimName(n))
			continue
		}
		c.rep.mapped("", "volumes."+n, "PersistentVolumeClaim (or StatefulSet claim template) %s", DNSName(n))
	}
	for _, n := range sortedKeys(c.p.Secrets) {
		if c.p.Secrets[n].External {
			c.rep.approx("", "secrets."+n, "external: a Secret %s must exist in the cluster", DNSName(n))
			continue
		}
		c.rep.mapped("", "secrets."+n, "Secret secret-%s (values filled by `berth up`/`berth promote`)", DNSName(n))
	}
	for _, n := range sortedKeys(c.p.Configs) {
		if f := c.p.Configs[n].File; f != "" && !c.p.Configs[n].External && c.opts.Files[f] == nil {
			c.rep.approx("", "configs."+n, "ConfigMap config-%s, empty: file %s is not there", DNSName(n), c.relPath(f))
			continue
		}
		c.rep.mapped("", "configs."+n, "ConfigMap config-%s", DNSName(n))
	}
	for _, n := range sortedKeys(c.p.Extensions) {
		if n == ExtensionKey {
			c.rep.mapped("", n, "berth settings")
			continue
		}
		c.rep.approx("", n, "extension: used for YAML anchors only")
	}
	if len(c.p.Models) > 0 {
		c.rep.dropped("", "models", "model runners have no Kubernetes equivalent")
	}
	return nil
}
