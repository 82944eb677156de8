package convert

import (
	"cmp"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// kindOrder is the order objects are printed and applied in: what others
// refer to comes first.
var kindOrder = map[string]int{
	"Namespace": 0, "ServiceAccount": 1, "Secret": 2, "ConfigMap": 3,
	"PersistentVolumeClaim": 4, "Service": 5, "Deployment": 6, "StatefulSet": 7,
	"DaemonSet": 8, "Job": 9, "CronJob": 10, "NetworkPolicy": 11,
	"Ingress": 12, "HorizontalPodAutoscaler": 13, "PodDisruptionBudget": 14,
}

// Kind returns the object's kind from its TypeMeta (read directly when the
// object has one: the full GroupVersionKind parses the apiVersion).
func Kind(o Object) string {
	k := o.GetObjectKind()
	if tm, ok := k.(*metav1.TypeMeta); ok {
		return tm.Kind
	}
	return k.GroupVersionKind().Kind
}

func kindRank(k string) int {
	if r, ok := kindOrder[k]; ok {
		return r
	}
	return 100
}

// sortObjects orders objects by kind rank, kind, then name, stably. The
// keys are read once per object: parsing the apiVersion in every
// comparison was most of the sort.
func sortObjects(objs []Object) {
	type keyed struct {
		rank       int
		kind, name string
		o          Object
	}
	keys := make([]keyed, len(objs))
	for i, o := range objs {
		k := Kind(o)
		keys[i] = keyed{kindRank(k), k, o.GetName(), o}
	}
	slices.SortStableFunc(keys, func(a, b keyed) int {
		if a.rank != b.rank { // compared in turn: cmp.Or would compare all three
			return cmp.Compare(a.rank, b.rank)
		}
		if a.kind != b.kind {
			return strings.Compare(a.kind, b.kind)
		}
		return strings.Compare(a.name, b.name)
	})
	for i, k := range keys {
		objs[i] = k.o
	}
}

// typeMeta sets apiVersion and kind, which sigs.k8s.io/yaml needs to print them.
func typeMeta(o Object, group, version, kind string) Object {
	o.GetObjectKind().SetGroupVersionKind(schema.GroupVersionKind{Group: group, Version: version, Kind: kind})
	return o
}
