package kube

import (
	"fmt"

	"berth/internal/kube/typed"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// ObjectRef names one object in the cluster.
type ObjectRef struct {
	Group     string `json:"group,omitempty"`
	Version   string `json:"version"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
}

// String is "Kind/name" or "Kind/namespace/name".
func (r ObjectRef) String() string {
	if r.Namespace == "" {
		return r.Kind + "/" + r.Name
	}
	return r.Kind + "/" + r.Namespace + "/" + r.Name
}

// GroupVersionKind of the reference.
func (r ObjectRef) GroupVersionKind() schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: r.Group, Version: r.Version, Kind: r.Kind}
}

// key identifies an object independently of its version, so a Deployment
// apps/v1 and a live apps/v1 list item compare equal.
func (r ObjectRef) key() string {
	return r.Group + "/" + r.Kind + "/" + r.Namespace + "/" + r.Name
}

// RefOf returns the reference of an unstructured object.
func RefOf(u *unstructured.Unstructured) ObjectRef {
	gvk := u.GroupVersionKind()
	return ObjectRef{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind, Namespace: u.GetNamespace(), Name: u.GetName()}
}

// ToUnstructured converts a typed k8s.io/api object (or an unstructured one)
// to unstructured. When TypeMeta is empty the kind is looked up in client-go's
// scheme, so callers may pass objects built without apiVersion/kind.
func ToUnstructured(obj runtime.Object) (*unstructured.Unstructured, error) {
	if u, ok := obj.(*unstructured.Unstructured); ok {
		return u.DeepCopy(), nil
	}
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, fmt.Errorf("to unstructured %T: %w", obj, err)
	}
	u := &unstructured.Unstructured{Object: m}
	if u.GetKind() == "" || u.GetAPIVersion() == "" {
		gvks, _, err := typed.Scheme().ObjectKinds(obj)
		if err != nil || len(gvks) == 0 {
			return nil, fmt.Errorf("%T has no apiVersion/kind and is not a known type: %w", obj, err)
		}
		u.SetGroupVersionKind(gvks[0])
	}
	// Typed objects serialise empty creationTimestamp and status as
	// null/{}; drop them so they never reach an apply patch.
	unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
	unstructured.RemoveNestedField(u.Object, "status")
	return u, nil
}

// toUnstructuredAll converts every object, naming the first that fails.
func toUnstructuredAll(objs []runtime.Object) ([]*unstructured.Unstructured, error) {
	out := make([]*unstructured.Unstructured, 0, len(objs))
	for i, o := range objs {
		u, err := ToUnstructured(o)
		if err != nil {
			return nil, fmt.Errorf("object %d: %w", i, err)
		}
		out = append(out, u)
	}
	return out, nil
}

// mapping finds the REST mapping of gvk, resetting the discovery cache once
// when the kind is unknown (a CRD may have been installed since).
func (c *Client) mapping(gvk schema.GroupVersionKind) (*meta.RESTMapping, error) {
	m, err := c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) && c.resetter != nil {
		c.resetter.Reset()
		m, err = c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	if meta.IsNoMatchError(err) {
		return nil, fmt.Errorf("%s: %w", gvk, ErrUnknownKind)
	}
	if err != nil {
		return nil, fmt.Errorf("rest mapping for %s: %w", gvk, err)
	}
	return m, nil
}

// resourceFor returns the dynamic resource interface for ref, scoped to its
// namespace when the kind is namespaced. A namespaced object without a
// namespace gets defaultNS.
func (c *Client) resourceFor(ref ObjectRef, defaultNS string) (dynamic.ResourceInterface, ObjectRef, error) {
	m, err := c.mapping(ref.GroupVersionKind())
	if err != nil {
		return nil, ref, err
	}
	if m.Scope.Name() != meta.RESTScopeNameNamespace {
		ref.Namespace = ""
		return c.Dynamic.Resource(m.Resource), ref, nil
	}
	if ref.Namespace == "" {
		ref.Namespace = defaultNS
	}
	return c.Dynamic.Resource(m.Resource).Namespace(ref.Namespace), ref, nil
}
