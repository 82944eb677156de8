package typed

import (
	"context"
	"fmt"
	"net/http"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/gentype"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/util/flowcontrol"
)

// Clientset is the Interface over one cluster's API server.
type Clientset struct {
	core, apps, batch rest.Interface
}

// NewForConfig builds a Clientset the way client-go's kubernetes.NewForConfig
// does: one HTTP client and one rate limiter shared by every group.
func NewForConfig(cfg *rest.Config) (*Clientset, error) {
	c := *cfg
	if c.RateLimiter == nil && c.QPS > 0 {
		if c.Burst <= 0 {
			return nil, fmt.Errorf("burst is required to be greater than 0 when RateLimiter is not set and QPS is set to greater than 0")
		}
		c.RateLimiter = flowcontrol.NewTokenBucketRateLimiter(c.QPS, c.Burst)
	}
	h, err := rest.HTTPClientFor(&c)
	if err != nil {
		return nil, err
	}
	cs := &Clientset{}
	groups := []struct {
		into    *rest.Interface
		gv      schema.GroupVersion
		apiPath string
	}{
		{&cs.core, corev1.SchemeGroupVersion, "/api"},
		{&cs.apps, appsv1.SchemeGroupVersion, "/apis"},
		{&cs.batch, batchv1.SchemeGroupVersion, "/apis"},
	}
	for _, g := range groups {
		if *g.into, err = groupClient(c, h, g.gv, g.apiPath); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

func groupClient(c rest.Config, h *http.Client, gv schema.GroupVersion, apiPath string) (rest.Interface, error) {
	c.GroupVersion, c.APIPath = &gv, apiPath
	c.NegotiatedSerializer = Codecs().WithoutConversion()
	if c.UserAgent == "" {
		c.UserAgent = rest.DefaultKubernetesUserAgent()
	}
	return rest.RESTClientForConfigAndClient(&c, h)
}

func (cs *Clientset) CoreV1() CoreV1   { return core{cs.core} }
func (cs *Clientset) AppsV1() AppsV1   { return apps{cs.apps} }
func (cs *Clientset) BatchV1() BatchV1 { return batch{cs.batch} }

// object is what gentype's clients take: a typed object with metadata.
type object interface {
	runtime.Object
	metav1.Object
}

// resource is the generated-style client of one resource. T and L are the
// object and list structs; their pointers are inferred.
func resource[T, L any, PT interface {
	*T
	object
}, PL interface {
	*L
	runtime.Object
}](c rest.Interface, name, namespace string) *gentype.ClientWithList[PT, PL] {
	return gentype.NewClientWithList(name, c, ParameterCodec(), namespace,
		func() PT { return new(T) }, func() PL { return new(L) })
}

type core struct{ c rest.Interface }

func (k core) RESTClient() rest.Interface { return k.c }

func (k core) Pods(ns string) Pods {
	return pods{resource[corev1.Pod, corev1.PodList](k.c, "pods", ns)}
}

func (k core) Namespaces() Resource[*corev1.Namespace, *corev1.NamespaceList] {
	return resource[corev1.Namespace, corev1.NamespaceList](k.c, "namespaces", "")
}

func (k core) Nodes() Resource[*corev1.Node, *corev1.NodeList] {
	return resource[corev1.Node, corev1.NodeList](k.c, "nodes", "")
}

func (k core) Services(ns string) Resource[*corev1.Service, *corev1.ServiceList] {
	return resource[corev1.Service, corev1.ServiceList](k.c, "services", ns)
}

func (k core) Secrets(ns string) Resource[*corev1.Secret, *corev1.SecretList] {
	return resource[corev1.Secret, corev1.SecretList](k.c, "secrets", ns)
}

func (k core) ConfigMaps(ns string) Resource[*corev1.ConfigMap, *corev1.ConfigMapList] {
	return resource[corev1.ConfigMap, corev1.ConfigMapList](k.c, "configmaps", ns)
}

func (k core) Events(ns string) Resource[*corev1.Event, *corev1.EventList] {
	return resource[corev1.Event, corev1.EventList](k.c, "events", ns)
}

func (k core) PersistentVolumeClaims(ns string) Resource[*corev1.PersistentVolumeClaim, *corev1.PersistentVolumeClaimList] {
	return resource[corev1.PersistentVolumeClaim, corev1.PersistentVolumeClaimList](k.c, "persistentvolumeclaims", ns)
}

type pods struct {
	*gentype.ClientWithList[*corev1.Pod, *corev1.PodList]
}

// GetLogs is client-go's pod log request.
func (p pods) GetLogs(name string, opts *corev1.PodLogOptions) *rest.Request {
	return p.GetClient().Get().Namespace(p.GetNamespace()).Name(name).Resource("pods").
		SubResource("log").VersionedParams(opts, ParameterCodec())
}

type apps struct{ c rest.Interface }

func (k apps) Deployments(ns string) Scalable[*appsv1.Deployment, *appsv1.DeploymentList] {
	return scalable[*appsv1.Deployment, *appsv1.DeploymentList]{
		resource[appsv1.Deployment, appsv1.DeploymentList](k.c, "deployments", ns), "deployments"}
}

func (k apps) StatefulSets(ns string) Scalable[*appsv1.StatefulSet, *appsv1.StatefulSetList] {
	return scalable[*appsv1.StatefulSet, *appsv1.StatefulSetList]{
		resource[appsv1.StatefulSet, appsv1.StatefulSetList](k.c, "statefulsets", ns), "statefulsets"}
}

func (k apps) DaemonSets(ns string) Resource[*appsv1.DaemonSet, *appsv1.DaemonSetList] {
	return resource[appsv1.DaemonSet, appsv1.DaemonSetList](k.c, "daemonsets", ns)
}

type scalable[T object, L runtime.Object] struct {
	*gentype.ClientWithList[T, L]
	name string // the resource, e.g. "statefulsets"
}

// GetScale reads the scale subresource, as client-go's generated clients do.
func (s scalable[T, L]) GetScale(ctx context.Context, name string, opts metav1.GetOptions) (*autoscalingv1.Scale, error) {
	out := &autoscalingv1.Scale{}
	err := s.GetClient().Get().Namespace(s.GetNamespace()).Resource(s.name).Name(name).
		SubResource("scale").VersionedParams(&opts, ParameterCodec()).Do(ctx).Into(out)
	return out, err
}

// UpdateScale writes the scale subresource.
func (s scalable[T, L]) UpdateScale(ctx context.Context, name string, scale *autoscalingv1.Scale, opts metav1.UpdateOptions) (*autoscalingv1.Scale, error) {
	out := &autoscalingv1.Scale{}
	err := s.GetClient().Put().Namespace(s.GetNamespace()).Resource(s.name).Name(name).
		SubResource("scale").VersionedParams(&opts, ParameterCodec()).Body(scale).Do(ctx).Into(out)
	return out, err
}

type batch struct{ c rest.Interface }

func (k batch) Jobs(ns string) Resource[*batchv1.Job, *batchv1.JobList] {
	return resource[batchv1.Job, batchv1.JobList](k.c, "jobs", ns)
}

func (k batch) CronJobs(ns string) Resource[*batchv1.CronJob, *batchv1.CronJobList] {
	return resource[batchv1.CronJob, batchv1.CronJobList](k.c, "cronjobs", ns)
}
