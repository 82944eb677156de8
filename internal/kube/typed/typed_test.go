package typed

import (
	"net/url"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/rest"
)

// TestGetLogsRequest: the log request names the pod's log subresource and
// carries the options as the API server reads them.
func TestGetLogsRequest(t *testing.T) {
	cs, err := NewForConfig(&rest.Config{Host: "https://cluster.example:6443"})
	if err != nil {
		t.Fatal(err)
	}
	tail := int64(20)
	u := cs.CoreV1().Pods("shop").GetLogs("web-0", &corev1.PodLogOptions{Container: "app", Follow: true, TailLines: &tail}).URL()
	if u.Path != "/api/v1/namespaces/shop/pods/web-0/log" {
		t.Errorf("path %s", u.Path)
	}
	want := url.Values{"container": {"app"}, "follow": {"true"}, "tailLines": {"20"}}
	if u.Query().Encode() != want.Encode() {
		t.Errorf("query %s, want %s", u.Query().Encode(), want.Encode())
	}
}

// TestSchemeKnowsWhatConvertEmits: ToUnstructured names typed objects by
// this scheme, so every kind berth writes must be in it.
func TestSchemeKnowsWhatConvertEmits(t *testing.T) {
	for _, kind := range []string{"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service", "ConfigMap",
		"Secret", "PersistentVolumeClaim", "NetworkPolicy", "Ingress", "PodDisruptionBudget", "HorizontalPodAutoscaler",
		"ServiceAccount", "Role", "RoleBinding", "Namespace", "Scale"} {
		found := false
		for gvk := range Scheme().AllKnownTypes() {
			found = found || gvk.Kind == kind
		}
		if !found {
			t.Errorf("the scheme has no %s", kind)
		}
	}
}
