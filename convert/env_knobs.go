package convert

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
		at("metrics stack", "spec", "containers", "*-exporter"),
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
	if kind == "Service" && len(name) > len("-public") && name[len(name)-len("-public"):] == "-public" {
		return "how published ports are exposed"
	}
	return ""
}
