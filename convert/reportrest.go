package convert

import (
	"encoding/json"

	"github.com/compose-spec/compose-go/v2/types"
)

// keyFate is what happens to a key no mapping reported, and why.
type keyFate struct {
	status Status
	why    string
}

// keyFates says what happens to service keys no mapping reported, and why.
var keyFates = map[string]keyFate{
	"container_name": {Approximated, "pods get generated names; the Service keeps the service name resolvable"},
	"profiles":       {Mapped, "only services of the active profiles are converted"},
	"depends_on":     {Mapped, "see the init containers"},
	"networks":       {Mapped, "DNS aliases; NetworkPolicy edges follow shared networks"},
	"network_mode":   {Dropped, "pods have their own network namespace; host networking is not converted"},
	"logging":        {Approximated, "container stdout is collected by the cluster's log shipper"},
	"pull_policy":    {Approximated, "imagePullPolicy follows Kubernetes defaults (IfNotPresent for built images)"},
	"platform":       {Dropped, "choose node architecture with a nodeSelector in the cluster"},
	"init":           {Dropped, "Kubernetes has no --init; use an image with an init (tini)"},
	"stop_signal":    {Dropped, "Kubernetes always sends SIGTERM; use a preStop hook"},
	"ulimits":        {Dropped, "no per-pod ulimits in Kubernetes"},
	"devices":        {Dropped, "use a device plugin"},
	"security_opt":   {Dropped, "use securityContext (seccomp/AppArmor) in the cluster"},
	"cgroup_parent":  {Dropped, "cgroups are managed by the kubelet"},
	"ipc":            {Dropped, "pods share IPC only inside one pod"},
	"pid":            {Dropped, "pods share PID namespaces only inside one pod"},
	"external_links": {Dropped, "reach external services by their DNS names"},
	"annotations":    {Mapped, "pod annotations"},
	"develop":        {Approximated, "`berth up` watches build contexts and rebuilds"},
	"attach":         {Mapped, "`berth up` streams logs of every service"},
	"scale":          {Mapped, "replicas"},
	"mac_address":    {Dropped, "pods get addresses from the CNI"},
	"dns_search":     {Mapped, "pod dnsConfig"},
	"dns_opt":        {Mapped, "pod dnsConfig"},
	"links":          {Mapped, "DNS aliases"},
	"cap_drop":       {Mapped, "securityContext.capabilities"},
	"secrets":        {Mapped, "Secrets mounted at /run/secrets"},
	"configs":        {Mapped, "ConfigMaps"},
	"label_file":     {Mapped, "merged into labels"},
	"oom_score_adj":  {Dropped, "the kubelet sets OOM scores from the QoS class"},
	"mem_swappiness": {Dropped, "no swap control per pod"},
	"memswap_limit":  {Dropped, "no swap control per pod"},
	"userns_mode":    {Dropped, "user namespaces are a cluster setting"},
	"runtime":        {Dropped, "use a RuntimeClass"},
	"models":         {Dropped, "model runners have no Kubernetes equivalent"},
	"provider":       {Dropped, "provider services are run by compose plugins"},
	"gpus":           {Dropped, "request GPUs through the cluster's device plugin"},
	"pre_start":      {Dropped, "no equivalent; an init container could run it"},
}

// reportRest reports every key of a service that the mappings did not;
// kind is the service's workload kind, empty for a container merged into
// another service's pod.
func (c *converter) reportRest(s types.ServiceConfig, kind string) {
	defer c.reportNetworkAddresses(s) // after "networks" itself
	for _, k := range c.serviceKeys(s) {
		if k != "deploy" && c.rep.has(s.Name, k) {
			continue
		}
		if k == "command" || k == "entrypoint" || k == "environment" || k == "image" {
			continue
		}
		if k == "deploy" {
			c.reportDeploy(s, kind)
			continue
		}
		c.reportFate(s.Name, k, keyFates[k])
	}
	for k := range s.Extensions {
		if k == ExtensionKey {
			c.rep.mapped(s.Name, k, "berth settings")
		} else {
			c.rep.dropped(s.Name, k, "extension unknown to berth")
		}
	}
}

// serviceKeys is nonEmptyKeys(s) walked in a buffer the converter keeps:
// handing s itself over copied every ServiceConfig (1.4 kB) to the heap.
func (c *converter) serviceKeys(s types.ServiceConfig) []string {
	if c.keysBuf == nil {
		c.keysBuf = new(types.ServiceConfig)
	}
	*c.keysBuf = s
	keys := nonEmptyKeysAt(c.keysBuf)
	*c.keysBuf = types.ServiceConfig{} // keep nothing of s alive
	return keys
}

// reportFate reports key with its fate; a key without one (the zero
// keyFate) has no Kubernetes equivalent.
func (c *converter) reportFate(service, key string, f keyFate) {
	if f.why == "" {
		c.rep.dropped(service, key, "no Kubernetes equivalent")
		return
	}
	c.rep.add(service, key, f.status, f.why)
}

// jsonKeys returns the top-level keys of v as JSON encodes it (the compose
// key names), nil when it cannot be encoded.
func jsonKeys(v any) map[string]json.RawMessage {
	data, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal(data, &keys) != nil {
		return nil
	}
	return keys
}

func emptyJSON(raw json.RawMessage) bool {
	switch string(raw) {
	case "null", "false", "0", `""`, "[]", "{}":
		return true
	}
	return false
}

// reportNetworkAddresses reports the per-network addresses a service asks
// for, which the "networks" entry would otherwise pass over: pods get
// theirs from the CNI.
func (c *converter) reportNetworkAddresses(s types.ServiceConfig) {
	for _, net := range sortedKeys(s.Networks) {
		cfg := s.Networks[net]
		if cfg == nil {
			continue
		}
		for _, a := range []struct {
			key string
			set bool
		}{
			{"ipv4_address", cfg.Ipv4Address != ""}, {"ipv6_address", cfg.Ipv6Address != ""},
			{"link_local_ips", len(cfg.LinkLocalIPs) > 0}, {"mac_address", cfg.MacAddress != ""},
		} {
			if a.set {
				c.rep.dropped(s.Name, "networks."+net+"."+a.key, "pods get their addresses from the CNI; reach the service by its name")
			}
		}
	}
}
