package convert

import (
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// objectIndex indexes c.b.Objects[:indexed] for the per-service lookups of
// the production layer (backups, metrics), which scanned every object per
// database: quadratic on large projects. Objects are only ever appended
// while converting, and their names and service annotations are set when
// they are made, so the index grows with the objects (sync) instead of
// being rebuilt; each list keeps object order, so a lookup visits what the
// scan visited, in the same order.
type objectIndex struct {
	indexed   int
	secrets   map[string]bool                          // names of objects of kind Secret
	services  map[string][]*corev1.Service             // by name
	policies  map[string][]*networkingv1.NetworkPolicy // by name
	ofService map[string][]Object                      // by AnnotationService
}

// index returns the object index, caught up with c.b.Objects.
func (c *converter) index() *objectIndex {
	if c.objs == nil {
		c.objs = &objectIndex{secrets: map[string]bool{}, services: map[string][]*corev1.Service{},
			policies: map[string][]*networkingv1.NetworkPolicy{}, ofService: map[string][]Object{}}
	}
	x := c.objs
	for ; x.indexed < len(c.b.Objects); x.indexed++ {
		x.add(c.b.Objects[x.indexed])
	}
	return x
}

func (x *objectIndex) add(o Object) {
	if Kind(o) == "Secret" {
		x.secrets[o.GetName()] = true
	}
	switch w := o.(type) {
	case *corev1.Service:
		x.services[w.Name] = append(x.services[w.Name], w)
	case *networkingv1.NetworkPolicy:
		x.policies[w.Name] = append(x.policies[w.Name], w)
	}
	if s, ok := o.GetAnnotations()[AnnotationService]; ok {
		x.ofService[s] = append(x.ofService[s], o)
	}
}
