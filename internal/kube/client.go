// Package kube is what `berth up` and `berth promote` both need from a cluster:
// a client built from a kubeconfig, server-side apply with one field manager,
// dry-run and field-level diff, prune by label, readiness through kstatus, pod
// problems, log streams, port-forward and exec. It knows nothing about compose:
// it takes typed or unstructured Kubernetes objects and label selectors.
package kube

import (
	"fmt"

	"berth/internal/kube/typed"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Client talks to one cluster. It is safe for concurrent use.
type Client struct {
	Config    *rest.Config
	Typed     typed.Interface
	Dynamic   dynamic.Interface
	Mapper    Mapper
	resetter  interface{ Reset() } // the mapper's cache, reset when a kind is not found
	Context   string               // kubeconfig context in use ("" when built from a rest.Config)
	Namespace string               // the context's default namespace, "default" when none
}

// NewClient loads a kubeconfig the way kubectl does: the explicit path when
// given, otherwise $KUBECONFIG (a list of files) or ~/.kube/config, and the
// given context, or the current one when context is "".
func NewClient(kubeconfig, context string) (*Client, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if kubeconfig != "" {
		rules.ExplicitPath = kubeconfig
	}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: context}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("load kubeconfig (context %q): %w", context, err)
	}
	ns, _, err := cc.Namespace()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig namespace: %w", err)
	}
	raw, err := cc.RawConfig()
	if err != nil {
		return nil, fmt.Errorf("read kubeconfig: %w", err)
	}
	c, err := NewClientFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	c.Context = raw.CurrentContext
	if context != "" {
		c.Context = context
	}
	c.Namespace = ns
	return c, nil
}

// NewClientFromConfig builds the typed and dynamic clients and the
// discovery mapper for cfg.
func NewClientFromConfig(cfg *rest.Config) (*Client, error) {
	cfg = rest.CopyConfig(cfg)
	if cfg.QPS == 0 {
		// Apply and status polling issue bursts of requests; the client-go
		// default (5 QPS) makes a 20-service plan wait on its own limiter.
		cfg.QPS, cfg.Burst = 50, 100
	}
	cs, err := typed.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("typed client: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("dynamic client: %w", err)
	}
	c := NewClientFromParts(cs, dyn, newDiscoveryMapper(cs.CoreV1().RESTClient()))
	c.Config = cfg
	c.Namespace = "default"
	return c, nil
}

// NewClientFromParts assembles a Client from existing clients; tests use it
// with client-go's fakes (see package kubetest). Config stays nil, so
// streaming calls (port-forward, exec) are unavailable on such a client. A
// mapper with a Reset method is reset when a kind is not found.
func NewClientFromParts(cs typed.Interface, dyn dynamic.Interface, mapper Mapper) *Client {
	c := &Client{Typed: cs, Dynamic: dyn, Mapper: mapper, Namespace: "default"}
	c.resetter, _ = mapper.(interface{ Reset() })
	return c
}
