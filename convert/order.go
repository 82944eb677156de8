package convert

import (
	"sort"

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

// Kind returns the object's kind from its TypeMeta.
func Kind(o Object) string {
	return o.GetObjectKind().GroupVersionKind().Kind
}

func kindRank(k string) int {
	if r, ok := kindOrder[k]; ok {
		return r
	}
	return 100
}

func sortObjects(objs []Object) {
	sort.SliceStable(objs, func(i, j int) bool {
		a, b := objs[i], objs[j]
		ka, kb := Kind(a), Kind(b)
		if kindRank(ka) != kindRank(kb) {
			return kindRank(ka) < kindRank(kb)
		}
		if ka != kb {
			return ka < kb
		}
		return a.GetName() < b.GetName()
	})
}

// typeMeta sets apiVersion and kind, which sigs.k8s.io/yaml needs to print them.
func typeMeta(o Object, group, version, kind string) Object {
	o.GetObjectKind().SetGroupVersionKind(schema.GroupVersionKind{Group: group, Version: version, Kind: kind})
	return o
}
