package kube

import (
	"testing"

	"berth/internal/kube/kubetest"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta/testrestmapper"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	kubefake "k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/kubernetes/scheme"
)

// fakeClient builds a Client on client-go's fakes, with a static REST mapper
// for every built-in kind. Objects go to both fakes.
func fakeClient(t *testing.T, objs ...runtime.Object) *Client {
	t.Helper()
	return &Client{
		Typed:     kubetest.Typed(kubefake.NewClientset(objs...)),
		Dynamic:   dynamicfake.NewSimpleDynamicClient(scheme.Scheme, objs...),
		Mapper:    testrestmapper.TestOnlyStaticRESTMapper(scheme.Scheme),
		Namespace: "default",
	}
}

func labelled(ns, project string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Namespace: ns, Labels: map[string]string{
		"app.kubernetes.io/part-of":    project,
		"app.kubernetes.io/managed-by": "berth",
	}}
}

func deployment(name string, meta metav1.ObjectMeta, image string) *appsv1.Deployment {
	meta.Name = name
	one := int32(1)
	sel := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: meta,
		Spec: appsv1.DeploymentSpec{
			Replicas: &one,
			Selector: &metav1.LabelSelector{MatchLabels: sel},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: sel},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: name, Image: image}}},
			},
		},
	}
}

func configMap(name string, meta metav1.ObjectMeta) *corev1.ConfigMap {
	meta.Name = name
	return &corev1.ConfigMap{ObjectMeta: meta, Data: map[string]string{"k": "v"}}
}

const selector = "app.kubernetes.io/part-of=shop,app.kubernetes.io/managed-by=berth"
