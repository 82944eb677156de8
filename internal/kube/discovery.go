package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
)

// Mapper finds the resource (and its scope) that serves a kind.
// client-go's RESTMappers satisfy it; tests use its static one.
type Mapper interface {
	RESTMapping(gk schema.GroupKind, versions ...string) (*meta.RESTMapping, error)
}

// discoveryMapper asks the API server, one group-version at a time and only
// for the kinds berth applies, instead of reading all of discovery up front
// as client-go's deferred mapper does (one request per group-version the
// cluster serves). It caches what it read until Reset.
type discoveryMapper struct {
	rest rest.Interface // any group's client: requests use absolute paths

	mu        sync.Mutex
	resources map[string]*metav1.APIResourceList // by group-version; nil when not served
	preferred map[string]string                  // group → preferred version
}

func newDiscoveryMapper(c rest.Interface) *discoveryMapper {
	m := &discoveryMapper{rest: c}
	m.Reset()
	return m
}

// Reset forgets what was read, so kinds installed since (CRDs) are found.
func (m *discoveryMapper) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.resources = map[string]*metav1.APIResourceList{}
	m.preferred = map[string]string{}
}

// RESTMapping maps gk in the first of versions that serves it (the group's
// preferred version when none is given), or returns a NoKindMatchError.
func (m *discoveryMapper) RESTMapping(gk schema.GroupKind, versions ...string) (*meta.RESTMapping, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(versions) == 0 {
		v, err := m.preferredVersion(gk.Group)
		if err != nil {
			return nil, err
		}
		if v == "" {
			return nil, &meta.NoKindMatchError{GroupKind: gk}
		}
		versions = []string{v}
	}
	for _, v := range versions {
		gv := schema.GroupVersion{Group: gk.Group, Version: v}
		list, err := m.resourceList(gv)
		if err != nil {
			return nil, err
		}
		if r, ok := kindIn(list, gk.Kind); ok {
			return &meta.RESTMapping{
				Resource:         gv.WithResource(r.Name),
				GroupVersionKind: gv.WithKind(gk.Kind),
				Scope:            scopeOf(r),
			}, nil
		}
	}
	return nil, &meta.NoKindMatchError{GroupKind: gk, SearchedVersions: versions}
}

func kindIn(list *metav1.APIResourceList, kind string) (metav1.APIResource, bool) {
	if list == nil {
		return metav1.APIResource{}, false
	}
	for _, r := range list.APIResources {
		if r.Kind == kind && !strings.Contains(r.Name, "/") { // not a subresource
			return r, true
		}
	}
	return metav1.APIResource{}, false
}

func scopeOf(r metav1.APIResource) meta.RESTScope {
	if r.Namespaced {
		return meta.RESTScopeNamespace
	}
	return meta.RESTScopeRoot
}

// resourceList reads one group-version's resources; nil when it is not served.
func (m *discoveryMapper) resourceList(gv schema.GroupVersion) (*metav1.APIResourceList, error) {
	key := gv.String()
	if list, ok := m.resources[key]; ok {
		return list, nil
	}
	path := "/apis/" + key
	if gv.Group == "" {
		path = "/api/" + gv.Version
	}
	var list *metav1.APIResourceList
	if err := m.get(path, &list); err != nil {
		return nil, err
	}
	m.resources[key] = list
	return list, nil
}

// preferredVersion is the version the server prefers for group, "" when the
// group is not served.
func (m *discoveryMapper) preferredVersion(group string) (string, error) {
	if group == "" {
		return "v1", nil
	}
	if v, ok := m.preferred[group]; ok {
		return v, nil
	}
	var g *metav1.APIGroup
	if err := m.get("/apis/"+group, &g); err != nil {
		return "", err
	}
	v := ""
	if g != nil {
		v = g.PreferredVersion.Version
	}
	m.preferred[group] = v
	return v, nil
}

// get decodes the JSON at path into out, leaving it nil on 404.
func (m *discoveryMapper) get(path string, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	raw, err := m.rest.Get().AbsPath(path).SetHeader("Accept", "application/json").DoRaw(ctx)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("discovery %s: %w", path, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("discovery %s: %w", path, err)
	}
	return nil
}
