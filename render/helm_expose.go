package render

import (
	"fmt"
	"strings"

	"berth/convert"

	"sigs.k8s.io/yaml"
)

// volumeClaim: a compose volume's claim is the knob of the one service
// mounting it (global.volumes.<volume> when several do); a backup volume is
// its database's backup knob.
func (c *collector) volumeClaim(m map[string]any) {
	meta, spec := child(m, "metadata"), child(m, "spec")
	if vol := asString(child(meta, "annotations")[annotationVolume]); vol != "" {
		users := c.claims[asString(meta["name"])]
		if len(users) == 1 {
			key := serviceKey(users[0])
			c.claimKnobs([]string{key}, []string{key, "volumes", vol}, spec)
			return
		}
		p := []string{"global", "volumes", vol}
		c.claimKnobs(p, p, spec)
		return
	}
	if o := ownerOf(m); o.service != "" {
		c.claimKnobs(o.key, o.key, spec)
	}
}

// claimKnobs: storage class and size, at shared when all of the owner's
// claims agree, else at own (one per volume).
func (c *collector) claimKnobs(shared, own []string, spec map[string]any) {
	if v, ok := spec["storageClassName"]; ok {
		c.add(modeField, setter(spec, "storageClassName"), nil, c.slot(keyPath(shared, "storageClass"), keyPath(own, "storageClass"), v))
	}
	req := child(spec, "resources", "requests")
	if v, ok := req["storage"]; ok {
		c.add(modeField, setter(req, "storage"), nil, c.slot(keyPath(shared, "volumeSize"), keyPath(own, "volumeSize"), v))
	}
}

// hostSlot is the host name of one HTTP port of a service: host, or
// hosts.<port> when the service is served on several.
func (c *collector) hostSlot(service string, port any, host string) *slot {
	p := []string{serviceKey(service), "host"}
	if c.hostCount[service] > 1 {
		p = []string{serviceKey(service), "hosts", fmt.Sprint(port)}
	}
	return c.slot(p, p, host)
}

// ingress: the host of every rule (and the same hosts in TLS), the TLS
// Secret and the ingress class.
func (c *collector) ingress(m map[string]any) {
	svc := ownerOf(m).service
	if svc == "" {
		return
	}
	key, spec := serviceKey(svc), child(m, "spec")
	byHost := map[string]*slot{}
	for _, rule := range items(spec, "rules") {
		var port any
		if paths := items(child(rule, "http"), "paths"); len(paths) > 0 {
			port = child(paths[0], "backend", "service", "port")["number"]
		}
		host := asString(rule["host"])
		byHost[host] = c.hostSlot(svc, port, host)
		c.add(modeField, setter(rule, "host"), nil, byHost[host])
	}
	if v, ok := spec["ingressClassName"]; ok {
		c.add(modeField, setter(spec, "ingressClassName"), nil, c.slot([]string{"global", "ingressClass"}, []string{key, "ingressClass"}, v))
	}
	for _, tls := range items(spec, "tls") {
		hosts, _ := tls["hosts"].([]any)
		for i, h := range hosts {
			if s := byHost[asString(h)]; s != nil {
				c.add(modeField, func(mk string) { hosts[i] = mk }, nil, s)
			}
		}
		if v, ok := tls["secretName"]; ok {
			p := []string{key, "tlsSecret"}
			c.add(modeField, setter(tls, "secretName"), nil, c.slot(p, p, v))
		}
	}
}

// route: a Gateway API HTTPRoute's host names and its parent Gateway.
func (c *collector) route(m map[string]any) {
	svc := ownerOf(m).service
	if svc == "" {
		return
	}
	key, spec := serviceKey(svc), child(m, "spec")
	var port any
	if rules := items(spec, "rules"); len(rules) > 0 {
		if refs := items(rules[0], "backendRefs"); len(refs) > 0 {
			port = refs[0]["port"]
		}
	}
	hosts, _ := spec["hostnames"].([]any)
	for i, h := range hosts {
		c.add(modeField, func(mk string) { hosts[i] = mk }, nil, c.hostSlot(svc, port, asString(h)))
	}
	for _, ref := range items(spec, "parentRefs") {
		for _, f := range []string{"name", "namespace"} {
			if v, ok := ref[f]; ok {
				c.add(modeField, setter(ref, f), nil, c.slot([]string{"global", "gateway", f}, []string{key, "gateway", f}, v))
			}
		}
	}
}

// restoreTemplate: the restore Job a ConfigMap holds as YAML reads the same
// backup knobs as the CronJob. It becomes a named template, and the
// ConfigMap holds its output written again by toYaml: the same bytes as
// convert's (both are sigs.k8s.io/yaml of the same fields).
func (c *collector) restoreTemplate(m map[string]any) {
	data := child(m, "data")
	var job map[string]any
	if err := yaml.Unmarshal([]byte(asString(data[convert.RestoreJobKey])), &job); err != nil || job == nil {
		return // not a manifest: kept as it is
	}
	c.pod(ownerOf(job), child(job, "spec", "template"), false)
	name := c.chart + "." + asString(child(m, "metadata")["name"]) + ".job"
	c.embedded = append(c.embedded, embeddedDoc{name: name, doc: job})
	c.add(modeBlock, setter(data, convert.RestoreJobKey), func([]string) string {
		return fmt.Sprintf("include %q . | fromYaml | toYaml", name)
	})
}

// defines writes the named templates of the embedded manifests.
func (c *collector) defines() (string, error) {
	var sb strings.Builder
	for _, e := range c.embedded {
		text, err := c.templateText(e.doc)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&sb, "{{- define %q }}\n%s{{- end }}\n", e.name, text)
	}
	return sb.String(), nil
}
