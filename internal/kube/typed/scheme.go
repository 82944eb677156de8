// Package typed is berth's typed Kubernetes client: the few resources `berth
// up`, `promote` and the database backups read and change, behind interfaces
// that client-go's generated clients (and its fakes) also satisfy.
//
// It exists for the size of every berth process: client-go's clientset and
// its discovery client register all 56 API group-versions in one scheme,
// about 8 MB of resident memory in each berth run, `berth convert` included,
// that berth never uses. Only the groups below are registered.
package typed

import (
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
)

// Scheme knows the API types berth writes and reads: those convert emits
// and the Scale subresource. It is built on first use (half a millisecond):
// `berth convert` never needs it.
var Scheme = sync.OnceValue(newScheme)

// Codecs serialises the types of Scheme.
var Codecs = sync.OnceValue(func() serializer.CodecFactory { return serializer.NewCodecFactory(Scheme()) })

// ParameterCodec encodes option structs (ListOptions, PodLogOptions...) as
// query parameters.
var ParameterCodec = sync.OnceValue(func() runtime.ParameterCodec { return runtime.NewParameterCodec(Scheme()) })

func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	builder := runtime.SchemeBuilder{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme,
		networkingv1.AddToScheme, policyv1.AddToScheme, rbacv1.AddToScheme,
		autoscalingv1.AddToScheme, autoscalingv2.AddToScheme,
	}
	utilruntime.Must(builder.AddToScheme(s))
	// Option structs travel as query parameters of every group's requests.
	metav1.AddToGroupVersion(s, schema.GroupVersion{Version: "v1"})
	return s
}
