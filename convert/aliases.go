package convert

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// addAliases makes network aliases and `links` aliases resolve: each becomes
// an ExternalName Service pointing at the service's own Service, so any port
// works under the alias as it does in compose.
func (c *converter) addAliases() {
	if !c.anyAlias() {
		return // the names taken need not be worked out
	}
	taken := make(map[string]bool, 2*len(c.p.Services))
	for _, n := range c.serviceNames() {
		taken[DNSName(n)] = true
		taken[headlessNameOf(n, len(c.portsOfService(n)) > 0)] = true
	}
	made := map[string]string{}
	for _, n := range c.serviceNames() {
		for _, alias := range serviceAliases(n, c.p.Services[n].Networks, c.p.Services[n].Links) {
			c.addAlias(n, alias.name, alias.target, alias.key, taken, made)
		}
	}
}

// anyAlias reports whether some service declares a network alias or a links alias.
func (c *converter) anyAlias() bool {
	for _, n := range c.serviceNames() {
		if len(serviceAliases(n, c.p.Services[n].Networks, c.p.Services[n].Links)) > 0 {
			return true
		}
	}
	return false
}

type aliasRef struct{ name, target, key string }

// serviceAliases lists the aliases service declares for itself (network
// aliases) and for the services it links to (links: db:database). It takes
// the two settings, not the ServiceConfig: callers loop over every service.
func serviceAliases(service string, networks map[string]*types.ServiceNetworkConfig, links []string) []aliasRef {
	var out []aliasRef
	for _, net := range sortedKeys(networks) {
		cfg := networks[net]
		if cfg == nil {
			continue
		}
		for _, a := range cfg.Aliases {
			out = append(out, aliasRef{name: a, target: service, key: "networks." + net + ".aliases"})
		}
	}
	for _, l := range links {
		target, alias, ok := strings.Cut(l, ":")
		if ok && alias != target {
			out = append(out, aliasRef{name: alias, target: target, key: "links"})
		}
	}
	return out
}

func (c *converter) addAlias(from, alias, target, key string, taken map[string]bool, made map[string]string) {
	owner, ok := c.p.Services[target]
	if !ok {
		return
	}
	name := DNSName(alias)
	switch {
	case name != alias:
		c.rep.dropped(from, key, "alias %q is not a valid Kubernetes Service name", alias)
		return
	case taken[name]:
		if alias != DNSName(target) {
			c.rep.approx(from, key, "alias %q is already a service name; it keeps resolving to that service", alias)
		}
		return
	case made[name] != "" && made[name] != target:
		c.rep.dropped(from, key, "alias %q already points at %q; one cluster-wide name cannot mean two services", alias, made[name])
		return
	case made[name] == target:
		return
	}
	made[name] = target
	svc := &corev1.Service{
		ObjectMeta: c.meta(name, owner.Name),
		Spec: corev1.ServiceSpec{
			Type:         corev1.ServiceTypeExternalName,
			ExternalName: fmt.Sprintf("%s.%s.svc.cluster.local", DNSName(c.ownerOf(owner.Name)), c.namespace),
		},
	}
	c.add(typeMeta(svc, "", "v1", "Service"))
	c.rep.mapped(from, key, "alias %s resolves to %s (ExternalName Service)", alias, target)
}
