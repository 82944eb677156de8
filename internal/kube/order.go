package kube

import (
	"sort"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// applyRank orders kinds so that what others depend on exists first:
// namespaces and cluster-wide definitions, then identity and policy, then
// config, storage and networking, then workloads, then what scales or
// exposes them. Unknown kinds (custom resources) go last.
var applyRank = map[string]int{
	"Namespace":                0,
	"CustomResourceDefinition": 1,
	"PriorityClass":            2,
	"StorageClass":             2,
	"ResourceQuota":            3,
	"LimitRange":               3,
	"ServiceAccount":           4,
	"ClusterRole":              4,
	"Role":                     4,
	"ClusterRoleBinding":       5,
	"RoleBinding":              5,
	"NetworkPolicy":            6,
	"PodSecurityPolicy":        6,
	"ConfigMap":                7,
	"Secret":                   7,
	"PersistentVolume":         8,
	"PersistentVolumeClaim":    9,
	"Service":                  10,
	"Endpoints":                10,
	"EndpointSlice":            10,
	"DaemonSet":                20,
	"Deployment":               20,
	"ReplicaSet":               20,
	"StatefulSet":              20,
	"Pod":                      20,
	"Job":                      21,
	"CronJob":                  21,
	"PodDisruptionBudget":      30,
	"HorizontalPodAutoscaler":  30,
	"Ingress":                  30,
	"IngressClass":             29,
}

const unknownKindRank = 50

func rankOf(kind string) int {
	if r, ok := applyRank[kind]; ok {
		return r
	}
	return unknownKindRank
}

// sortForApply orders objects for apply, keeping the caller's order within
// one rank (the conversion's stable order stays visible in results).
func sortForApply(objs []*unstructured.Unstructured) {
	sort.SliceStable(objs, func(i, j int) bool {
		return rankOf(objs[i].GetKind()) < rankOf(objs[j].GetKind())
	})
}

// sortForDelete is the reverse: workloads go before what they use.
func sortRefsForDelete(refs []ObjectRef) {
	sort.SliceStable(refs, func(i, j int) bool {
		return rankOf(refs[i].Kind) > rankOf(refs[j].Kind)
	})
}
