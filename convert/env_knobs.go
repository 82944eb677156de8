package convert

import "strings"

// AnnotationKnob marks an object that exists only because of an
// environment knob (a backup target, a log sink, a metrics stack); its value
// names the knob. Objects so marked may exist in one environment only.
const AnnotationKnob = "berth.dev/knob"

// KnobPath is a field that an environment knob may set. Segments match one
// level of the object's JSON each (path.Match patterns, where a list item is
// named by its "name" field, else its index); a path matches every field at
// or below it.
type KnobPath struct {
	Knob     string
	Segments []string
}

// podKnobs are the knob fields of a pod template.
func podKnobs(prefix ...string) []KnobPath {
	at := func(knob string, segs ...string) KnobPath {
		return KnobPath{Knob: knob, Segments: append(append([]string(nil), prefix...), segs...)}
	}
	return []KnobPath{
		at("resources", "spec", "containers", "*", "resources"),
		at("resources", "spec", "initContainers", "*", "resources"),
		at("image registry and tag policy", "spec", "containers", "*", "image"),
		at("metrics stack", "metadata", "annotations", "prometheus.io/*"),
		// Exporter sidecars (metrics stack) and log shippers (log sink) are
		// whole containers that one environment adds.
		at("metrics stack", "spec", "containers", "exporter"),
		at("metrics stack", "spec", "containers", "*", "ports", "metrics"),
		at("log sink", "spec", "containers", "log-*"),
		at("log sink", "spec", "initContainers", "log-*"),
		at("log sink", "spec", "volumes", "log-*"),
	}
}

// KnobPaths lists, per kind, every field environments may make differ. The
// diff test proves that local and prod differ nowhere else.
var KnobPaths = map[string][]KnobPath{
	"Deployment": append(podKnobs("spec", "template"),
		KnobPath{"replicas", []string{"spec", "replicas"}}),
	"StatefulSet": append(podKnobs("spec", "template"),
		KnobPath{"replicas", []string{"spec", "replicas"}},
		KnobPath{"storage class and size", []string{"spec", "volumeClaimTemplates", "*", "spec", "storageClassName"}},
		KnobPath{"storage class and size", []string{"spec", "volumeClaimTemplates", "*", "spec", "resources", "requests", "storage"}}),
	"DaemonSet": podKnobs("spec", "template"),
	"Job":       podKnobs("spec", "template"),
	"CronJob": append(podKnobs("spec", "jobTemplate", "spec", "template"),
		KnobPath{"backup schedule", []string{"spec", "schedule"}},
		// The backup target decides where dumps go: the upload container,
		// its environment and the volumes differ between a PVC and S3.
		KnobPath{"backup target", []string{"spec", "jobTemplate", "spec", "template", "spec"}}),
	"PersistentVolumeClaim": {
		{"storage class and size", []string{"spec", "storageClassName"}},
		{"storage class and size", []string{"spec", "resources", "requests", "storage"}},
	},
	"Service": {
		{"metrics stack", []string{"metadata", "annotations", "prometheus.io/*"}},
		{"metrics stack", []string{"metadata", "labels", "berth.dev/metrics"}},
		// The exporter and metrics ports; a Service whose only port is the
		// metrics port has no ports without a metrics stack, so the knob
		// covers the list.
		{"metrics stack", []string{"spec", "ports"}},
	},
	// The firewall follows the knobs: published ports accept traffic from the
	// ingress controller or load balancer only where they are exposed,
	// metrics ports from Prometheus only where there is a metrics stack, and
	// the log shipper reaches the environment's sink.
	"NetworkPolicy": {
		{"how published ports are exposed, metrics stack, log sink", []string{"spec", "ingress"}},
		{"how published ports are exposed, metrics stack, log sink", []string{"spec", "egress"}},
	},
	"ConfigMap": {
		// The restore Job template follows the backup target.
		{"backup target", []string{"data", "job.yaml"}},
	},
}

// KnobKinds are kinds whose objects exist only because of a knob, so they
// may be present in one environment and not in another: exposure of
// published ports, disruption budgets and autoscalers (replicas), and
// ServiceMonitors (metrics stack).
var KnobKinds = map[string]string{
	"Ingress":                 "how published ports are exposed",
	"HTTPRoute":               "how published ports are exposed",
	"HorizontalPodAutoscaler": "replicas",
	"PodDisruptionBudget":     "replicas",
	"ServiceMonitor":          "metrics stack",
}

// KnobObject says which knob makes an object exist in one environment only,
// or "" when none does (then it must exist in every environment).
func KnobObject(kind, name string, annotations map[string]string) string {
	if k := annotations[AnnotationKnob]; k != "" {
		return k
	}
	if k, ok := KnobKinds[kind]; ok {
		return k
	}
	if kind == "Service" && strings.HasSuffix(name, "-public") {
		return "how published ports are exposed"
	}
	return ""
}

// markKnobObjects annotates the objects other production steps add only
// because of a knob, so that the diff test knows why they exist: the log
// shipper (and its RBAC, config and firewall), the local backup volumes and
// the S3 backup Secret.
func (c *converter) markKnobObjects(env Environment) {
	for _, o := range c.b.Objects {
		name, kind := o.GetName(), Kind(o)
		knob := ""
		switch {
		case name == "fluent-bit" || strings.HasSuffix(name, "-fluent-bit"):
			knob = "log sink"
		case kind == "PersistentVolumeClaim" && strings.HasSuffix(name, "-backups") && o.GetAnnotations()["berth.dev/compose-volume"] == "":
			knob = "backup target"
		case kind == "Secret" && env.Backup.Target == BackupS3 && name == env.Backup.Secret:
			knob = "backup target"
		}
		if knob == "" {
			continue
		}
		ann := o.GetAnnotations()
		if ann == nil {
			ann = map[string]string{}
		}
		ann[AnnotationKnob] = knob
		o.SetAnnotations(ann)
	}
}
