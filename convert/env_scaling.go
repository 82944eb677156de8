package convert

import (
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// DefaultCPUTarget is the average CPU utilisation (%) autoscalers aim at.
const DefaultCPUTarget = 80

// disruptionBudgets keeps all but one pod of a replicated workload running
// through voluntary disruptions (node drains, cluster upgrades).
func (c *converter) disruptionBudgets() {
	for _, o := range c.b.Objects {
		var n *int32
		var sel *metav1.LabelSelector
		switch w := o.(type) {
		case *appsv1.Deployment:
			n, sel = w.Spec.Replicas, w.Spec.Selector
		case *appsv1.StatefulSet:
			n, sel = w.Spec.Replicas, w.Spec.Selector
		default:
			continue
		}
		if n == nil || *n <= 1 {
			continue
		}
		service := o.GetAnnotations()[AnnotationService]
		one := intstr.FromInt32(1)
		pdb := &policyv1.PodDisruptionBudget{
			ObjectMeta: c.meta(o.GetName(), service),
			Spec:       policyv1.PodDisruptionBudgetSpec{MaxUnavailable: &one, Selector: sel.DeepCopy()},
		}
		c.add(typeMeta(pdb, "policy", "v1", "PodDisruptionBudget"))
		c.rep.note("%s: PodDisruptionBudget %s (at most one of %d pods down at a time)", service, o.GetName(), *n)
	}
}

// autoscalers adds a HorizontalPodAutoscaler for services with
// x-berth.autoscale, in environments that keep the declared replica counts
// (a fixed count, as local has, means no autoscaling). The workload then
// leaves spec.replicas to the autoscaler, so an apply never fights it.
func (c *converter) autoscalers(env Environment) {
	if _, fixed := env.fixedReplicas(); fixed == nil {
		return
	}
	for _, o := range c.b.Objects {
		service := o.GetAnnotations()[AnnotationService]
		s, ok := c.p.Services[service]
		if !ok {
			continue
		}
		ext, err := serviceExt(s)
		if err != nil || ext.Autoscale == nil || ext.Autoscale.Max <= 0 {
			continue
		}
		var replicas **int32
		switch w := o.(type) {
		case *appsv1.Deployment:
			replicas = &w.Spec.Replicas
		case *appsv1.StatefulSet:
			replicas = &w.Spec.Replicas
		default:
			continue
		}
		c.add(c.autoscaler(o, service, ext, *replicas))
		*replicas = nil
	}
}

func (c *converter) autoscaler(o Object, service string, ext ServiceExt, declared *int32) Object {
	a := ext.Autoscale
	minReplicas := a.Min
	if minReplicas <= 0 && declared != nil {
		minReplicas = *declared
	}
	minReplicas = max(1, min(minReplicas, a.Max))
	cpu := a.CPUTarget
	if cpu <= 0 {
		cpu = DefaultCPUTarget
	}
	hpa := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: c.meta(o.GetName(), service),
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: Kind(o), Name: o.GetName()},
			MinReplicas:    &minReplicas,
			MaxReplicas:    a.Max,
			Metrics: []autoscalingv2.MetricSpec{{
				Type: autoscalingv2.ResourceMetricSourceType,
				Resource: &autoscalingv2.ResourceMetricSource{Name: "cpu", Target: autoscalingv2.MetricTarget{
					Type: autoscalingv2.UtilizationMetricType, AverageUtilization: &cpu,
				}},
			}},
		},
	}
	c.rep.mapped(service, "x-berth.autoscale", "HorizontalPodAutoscaler %s: %d to %d replicas at %d%% CPU (needs metrics-server)", o.GetName(), minReplicas, a.Max, cpu)
	return typeMeta(hpa, "autoscaling", "v2", "HorizontalPodAutoscaler")
}
