package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"berth/convert"
)

// Names of the backup pods' variables that carry knobs (convert/backup.go).
const (
	envRetain = "RETAIN"    // dumps kept: the backup retention
	envBucket = "S3_BUCKET" // the S3 bucket (and prefix)
)

// annotationVolume names the compose volume of a PVC (convert/volumes.go).
const annotationVolume = "berth.dev/compose-volume"

// collector finds the knob fields of a bundle's objects. The bundle does
// not carry its environment, so knob values are read from the fields the
// environment set (convert/environments.go and the steps it names).
type collector struct {
	*knobSet
	chart     string
	images    map[string]string   // image berth builds → its compose service
	secret    string              // the backup S3 Secret, "" when none
	claims    map[string][]string // PVC → compose services whose pods mount it
	hostCount map[string]int      // compose service → HTTP host names it is served on
	embedded  []embeddedDoc       // restore Jobs held in ConfigMaps
}

// embeddedDoc is a manifest held as a string (a restore Job in a
// ConfigMap), templated as a named template.
type embeddedDoc struct {
	name string
	doc  map[string]any
}

// owner is whose knobs an object's fields are.
type owner struct {
	service string   // compose service, "" for shared objects
	key     []string // where its knobs go in values.yaml
}

func newCollector(b *convert.Bundle, maps []map[string]any, chart string) *collector {
	c := &collector{knobSet: newKnobSet(), chart: chart, images: map[string]string{},
		claims: map[string][]string{}, hostCount: map[string]int{}}
	for _, img := range b.Images {
		c.images[img.Image] = img.Service
	}
	for _, m := range maps {
		c.scan(m)
	}
	return c
}

// scan notes what the knobs of other objects depend on: the backup
// Secret, who mounts which claim, and how many hosts a service has.
func (c *collector) scan(m map[string]any) {
	kind, meta := asString(m["kind"]), child(m, "metadata")
	o := ownerOf(m)
	switch {
	case kind == "Secret" && child(meta, "annotations")[convert.AnnotationKnob] == "backup target":
		c.secret = asString(meta["name"])
	case kind == "Ingress":
		c.hostCount[o.service] += len(items(child(m, "spec"), "rules"))
	case kind == "HTTPRoute":
		hosts, _ := child(m, "spec")["hostnames"].([]any)
		c.hostCount[o.service] += len(hosts)
	}
	if tmpl := podTemplate(kind, m); tmpl != nil && o.service != "" {
		for _, v := range items(child(tmpl, "spec"), "volumes") {
			if claim := asString(child(v, "persistentVolumeClaim")["claimName"]); claim != "" && !slices.Contains(c.claims[claim], o.service) {
				c.claims[claim] = append(c.claims[claim], o.service)
			}
		}
	}
}

// collect finds the knob fields of one object.
func (c *collector) collect(m map[string]any) {
	kind := asString(m["kind"])
	switch kind {
	case "PersistentVolumeClaim":
		c.volumeClaim(m)
	case "Ingress":
		c.ingress(m)
	case "HTTPRoute":
		c.route(m)
	case "Secret":
		if meta := child(m, "metadata"); c.secret != "" && meta["name"] == c.secret {
			c.add(modeField, setter(meta, "name"), nil, c.secretSlot())
		}
	case "ConfigMap":
		if child(m, "metadata", "annotations")[convert.AnnotationRestoreOf] != nil {
			c.restoreTemplate(m)
		}
	}
	if tmpl := podTemplate(kind, m); tmpl != nil {
		c.workload(kind, m, tmpl)
	}
}

// ownerOf names the owner of an object: its compose service, with the
// object's role (backup, restore) when it is not the service's workload;
// shared objects go under global.
func ownerOf(m map[string]any) owner {
	meta := child(m, "metadata")
	ann, name := child(meta, "annotations"), asString(meta["name"])
	svc := asString(ann[convert.AnnotationService])
	if svc == "" {
		if ann[convert.AnnotationKnob] == "log sink" {
			return owner{key: []string{"global", "logShipper"}}
		}
		return owner{key: []string{"global", name}}
	}
	key := []string{serviceKey(svc)}
	if name != convert.DNSName(svc) && !isServiceWorkload(m) {
		role := asString(child(meta, "labels")[convert.LabelComponent])
		if role == "" {
			role = name
		}
		key = append(key, role)
	}
	return owner{service: svc, key: key}
}

// isServiceWorkload tells the workload that runs a service (whose name may
// be shorter than the service's DNS name: StatefulSets keep 52 characters)
// from the service's other objects.
func isServiceWorkload(m map[string]any) bool {
	return convert.IsWorkloadKind(asString(m["kind"])) && asString(child(child(m, "metadata"), "labels")[convert.LabelComponent]) == ""
}

// serviceKey is a service's key in values.yaml; global is taken by the
// knobs every service shares.
func serviceKey(service string) string {
	if service == "global" {
		return "global-service"
	}
	return service
}

func podTemplate(kind string, m map[string]any) map[string]any {
	switch kind {
	case "CronJob":
		return child(m, "spec", "jobTemplate", "spec", "template")
	}
	if convert.IsWorkloadKind(kind) {
		return child(m, "spec", "template")
	}
	return nil
}

func (c *collector) workload(kind string, m, tmpl map[string]any) {
	o, spec := ownerOf(m), child(m, "spec")
	if _, ok := spec["replicas"]; ok && (kind == "Deployment" || kind == "StatefulSet") {
		p := keyPath(o.key, "replicas")
		c.add(modeField, setter(spec, "replicas"), nil, c.slot(p, p, spec["replicas"]))
	}
	if _, ok := spec["schedule"]; ok {
		p := keyPath(o.key, "schedule")
		c.add(modeField, setter(spec, "schedule"), nil, c.slot(p, p, spec["schedule"]))
	}
	for _, vct := range items(spec, "volumeClaimTemplates") {
		name := asString(child(vct, "metadata")["name"])
		c.claimKnobs(o.key, keyPath(o.key, "volumes", name), child(vct, "spec"))
	}
	c.pod(o, tmpl, true)
}

// pod finds the knobs of a pod template's containers.
func (c *collector) pod(o owner, tmpl map[string]any, withResources bool) {
	spec := child(tmpl, "spec")
	cts := append(items(spec, "initContainers"), items(spec, "containers")...)
	backup := child(tmpl, "metadata", "labels")[convert.LabelBackupOf] != nil
	for _, ct := range cts {
		if withResources {
			c.resources(o, ct, len(cts) == 1)
		}
		c.image(ct)
		if backup && o.service != "" {
			c.backupEnv(o.service, ct)
		}
	}
}

// resources: the main container's are the owner's resources (a knob even
// when empty, so they can be set), the others' are under containers.
func (c *collector) resources(o owner, ct map[string]any, only bool) {
	name := asString(ct["name"])
	main := only || (len(o.key) == 1 && o.service != "" && name == convert.DNSName(o.service))
	p := keyPath(o.key, "resources")
	if !main {
		p = keyPath(o.key, "containers", name, "resources")
	}
	if v, ok := ct["resources"]; ok {
		c.add(modeTree, setter(ct, "resources"), nil, c.slot(p, p, v))
	} else if main {
		c.add(modeOptional, setter(ct, "resources"), nil, c.slot(p, p, map[string]any{}))
	}
}

// image: an image berth builds is <registry>/<name>:<tag>, registry and
// tag set by the environment (one for every image when they agree).
func (c *collector) image(ct map[string]any) {
	img := asString(ct["image"])
	svc, ok := c.images[img]
	if !ok {
		return
	}
	registry, repo, tag, ok := splitImage(img)
	if !ok {
		return
	}
	key := serviceKey(svc)
	reg := c.slot([]string{"global", "registry"}, []string{key, "image", "registry"}, registry)
	tg := c.slot([]string{"global", "tag"}, []string{key, "image", "tag"}, tag)
	c.add(modeField, setter(ct, "image"), func(refs []string) string {
		return fmt.Sprintf(`printf "%%s:%%s" (list %s %s | compact | join "/") %s`, refs[0], strconv.Quote(repo), refs[1])
	}, reg, tg)
}

// splitImage splits reg.example.org/team/app:v1 into its registry (what
// precedes the last path element, when it starts with a host), name and
// tag.
func splitImage(img string) (registry, repo, tag string, ok bool) {
	i := strings.LastIndex(img, ":")
	if i < 0 || i < strings.LastIndex(img, "/") {
		return "", "", "", false
	}
	name, tag := img[:i], img[i+1:]
	first, _, nested := strings.Cut(name, "/")
	if !nested || !(strings.ContainsAny(first, ".:") || first == "localhost") {
		return "", name, tag, true
	}
	j := strings.LastIndex(name, "/")
	return name[:j], name[j+1:], tag, true
}

// backupEnv: the retention, bucket and Secret the backup and restore pods
// of a database read from their environment.
func (c *collector) backupEnv(service string, ct map[string]any) {
	base := []string{serviceKey(service), "backup"}
	for _, e := range items(ct, "env") {
		switch e["name"] {
		case envRetain:
			if n, err := strconv.Atoi(asString(e["value"])); err == nil {
				p := keyPath(base, "retention")
				c.add(modeField, setter(e, "value"), func(refs []string) string { return refs[0] + " | int | toString" }, c.slot(p, p, n))
			}
		case envBucket:
			c.add(modeField, setter(e, "value"), nil, c.slot([]string{"global", "backup", "bucket"}, keyPath(base, "bucket"), e["value"]))
		}
		if ref := child(e, "valueFrom", "secretKeyRef"); c.secret != "" && ref["name"] == c.secret {
			c.add(modeField, setter(ref, "name"), nil, c.secretSlot())
		}
	}
}

// secretSlot is the backup Secret's name: one Secret serves every database.
func (c *collector) secretSlot() *slot {
	p := []string{"global", "backup", "secret"}
	return c.slot(p, p, c.secret)
}

// setter writes a marker in place of m[key].
func setter(m map[string]any, key string) func(string) {
	return func(mk string) { m[key] = mk }
}

// keyPath returns a fresh slice: base followed by more.
func keyPath(base []string, more ...string) []string {
	return append(append([]string(nil), base...), more...)
}

func child(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		m, _ = m[k].(map[string]any)
	}
	return m
}

func items(m map[string]any, key string) []map[string]any {
	list, _ := m[key].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, it := range list {
		if im, ok := it.(map[string]any); ok {
			out = append(out, im)
		}
	}
	return out
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}
