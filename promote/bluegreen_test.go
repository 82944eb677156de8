package promote

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestColoredDeployment(t *testing.T) {
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "api"}}
	d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "api"}}
	d.Spec.Template.Labels = map[string]string{"app.kubernetes.io/name": "api"}
	c := colored(d, "api-green", "green")
	if c.Name != "api-green" || c.Spec.Selector.MatchLabels[LabelColor] != "green" || c.Spec.Template.Labels[LabelColor] != "green" {
		t.Errorf("colored: name %s selector %v template %v", c.Name, c.Spec.Selector.MatchLabels, c.Spec.Template.Labels)
	}
	if _, ok := d.Spec.Selector.MatchLabels[LabelColor]; ok || d.Name != "api" {
		t.Error("colored changed the rendered Deployment")
	}
}

func TestStrategyOf(t *testing.T) {
	exts := map[string]any{"x-berth": map[string]any{"strategy": "blue-green"}}
	if got := strategyOf(exts); got != "blue-green" {
		t.Errorf("strategyOf = %q", got)
	}
	if got := strategyOf(nil); got != "" {
		t.Errorf("strategyOf(nil) = %q", got)
	}
}
