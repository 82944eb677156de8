// Package kubetest adapts client-go's clientset (its fake, or a real one in
// cluster tests) to berth's narrower typed client, so tests keep using
// client-go's fakes. Only tests import it: it links the whole clientset,
// which berth's binary leaves out (see package typed).
package kubetest

import (
	"berth/internal/kube/typed"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// Typed serves typed.Interface from cs.
func Typed(cs kubernetes.Interface) typed.Interface { return clientset{cs} }

// Mapper is client-go's discovery mapper over disc (a fake clientset's
// Discovery(), say), reset when a kind is not found.
func Mapper(disc discovery.DiscoveryInterface) meta.ResettableRESTMapper {
	return restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disc))
}

type clientset struct{ cs kubernetes.Interface }

func (c clientset) CoreV1() typed.CoreV1   { return core(c) }
func (c clientset) AppsV1() typed.AppsV1   { return apps(c) }
func (c clientset) BatchV1() typed.BatchV1 { return batch(c) }

type core struct{ cs kubernetes.Interface }

func (k core) RESTClient() rest.Interface { return k.cs.CoreV1().RESTClient() }
func (k core) Pods(ns string) typed.Pods  { return k.cs.CoreV1().Pods(ns) }

func (k core) Namespaces() typed.Resource[*corev1.Namespace, *corev1.NamespaceList] {
	return k.cs.CoreV1().Namespaces()
}

func (k core) Nodes() typed.Resource[*corev1.Node, *corev1.NodeList] {
	return k.cs.CoreV1().Nodes()
}

func (k core) Services(ns string) typed.Resource[*corev1.Service, *corev1.ServiceList] {
	return k.cs.CoreV1().Services(ns)
}

func (k core) Secrets(ns string) typed.Resource[*corev1.Secret, *corev1.SecretList] {
	return k.cs.CoreV1().Secrets(ns)
}

func (k core) ConfigMaps(ns string) typed.Resource[*corev1.ConfigMap, *corev1.ConfigMapList] {
	return k.cs.CoreV1().ConfigMaps(ns)
}

func (k core) Events(ns string) typed.Resource[*corev1.Event, *corev1.EventList] {
	return k.cs.CoreV1().Events(ns)
}

func (k core) PersistentVolumeClaims(ns string) typed.Resource[*corev1.PersistentVolumeClaim, *corev1.PersistentVolumeClaimList] {
	return k.cs.CoreV1().PersistentVolumeClaims(ns)
}

type apps struct{ cs kubernetes.Interface }

func (k apps) Deployments(ns string) typed.Scalable[*appsv1.Deployment, *appsv1.DeploymentList] {
	return k.cs.AppsV1().Deployments(ns)
}

func (k apps) StatefulSets(ns string) typed.Scalable[*appsv1.StatefulSet, *appsv1.StatefulSetList] {
	return k.cs.AppsV1().StatefulSets(ns)
}

func (k apps) DaemonSets(ns string) typed.Resource[*appsv1.DaemonSet, *appsv1.DaemonSetList] {
	return k.cs.AppsV1().DaemonSets(ns)
}

type batch struct{ cs kubernetes.Interface }

func (k batch) Jobs(ns string) typed.Resource[*batchv1.Job, *batchv1.JobList] {
	return k.cs.BatchV1().Jobs(ns)
}

func (k batch) CronJobs(ns string) typed.Resource[*batchv1.CronJob, *batchv1.CronJobList] {
	return k.cs.BatchV1().CronJobs(ns)
}
