package typed

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/rest"
)

// Interface is the subset of client-go's kubernetes.Interface berth uses,
// with the same method names and signatures, so call sites read as they
// would with the clientset.
type Interface interface {
	CoreV1() CoreV1
	AppsV1() AppsV1
	BatchV1() BatchV1
}

// Resource is one kind's client within a namespace (or cluster-wide).
// client-go's generated clients satisfy it.
type Resource[T, L any] interface {
	Get(ctx context.Context, name string, opts metav1.GetOptions) (T, error)
	List(ctx context.Context, opts metav1.ListOptions) (L, error)
	Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error)
	Create(ctx context.Context, obj T, opts metav1.CreateOptions) (T, error)
	Update(ctx context.Context, obj T, opts metav1.UpdateOptions) (T, error)
	Delete(ctx context.Context, name string, opts metav1.DeleteOptions) error
	Patch(ctx context.Context, name string, pt types.PatchType, data []byte, opts metav1.PatchOptions, subresources ...string) (T, error)
}

// Pods adds the log subresource.
type Pods interface {
	Resource[*corev1.Pod, *corev1.PodList]
	GetLogs(name string, opts *corev1.PodLogOptions) *rest.Request
}

// Scalable adds the scale subresource of Deployments and StatefulSets.
type Scalable[T, L any] interface {
	Resource[T, L]
	GetScale(ctx context.Context, name string, opts metav1.GetOptions) (*autoscalingv1.Scale, error)
	UpdateScale(ctx context.Context, name string, scale *autoscalingv1.Scale, opts metav1.UpdateOptions) (*autoscalingv1.Scale, error)
}

// CoreV1 is the core group's resources berth reads and changes.
type CoreV1 interface {
	RESTClient() rest.Interface
	Pods(namespace string) Pods
	Namespaces() Resource[*corev1.Namespace, *corev1.NamespaceList]
	Nodes() Resource[*corev1.Node, *corev1.NodeList]
	Services(namespace string) Resource[*corev1.Service, *corev1.ServiceList]
	Secrets(namespace string) Resource[*corev1.Secret, *corev1.SecretList]
	ConfigMaps(namespace string) Resource[*corev1.ConfigMap, *corev1.ConfigMapList]
	Events(namespace string) Resource[*corev1.Event, *corev1.EventList]
	PersistentVolumeClaims(namespace string) Resource[*corev1.PersistentVolumeClaim, *corev1.PersistentVolumeClaimList]
}

// AppsV1 is the apps group's workloads.
type AppsV1 interface {
	Deployments(namespace string) Scalable[*appsv1.Deployment, *appsv1.DeploymentList]
	StatefulSets(namespace string) Scalable[*appsv1.StatefulSet, *appsv1.StatefulSetList]
	DaemonSets(namespace string) Resource[*appsv1.DaemonSet, *appsv1.DaemonSetList]
}

// BatchV1 is the batch group's Jobs and CronJobs.
type BatchV1 interface {
	Jobs(namespace string) Resource[*batchv1.Job, *batchv1.JobList]
	CronJobs(namespace string) Resource[*batchv1.CronJob, *batchv1.CronJobList]
}
