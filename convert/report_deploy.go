package convert

import "github.com/compose-spec/compose-go/v2/types"

// deployFates says what happens to the deploy keys no mapping reported.
var deployFates = map[string]keyFate{
	"labels":          {Dropped, "swarm service labels have no equivalent; use labels for the pods"},
	"placement":       {Dropped, "choose nodes with a nodeSelector or affinity in the cluster"},
	"rollback_config": {Approximated, "`berth promote` rolls back a failed rollout as a whole; parallelism and order have no equivalent"},
	"update_config":   {Dropped, "only a Deployment has a configurable rolling update"},
	"restart_policy":  {Approximated, "the controller restarts pods"},
	"resources":       {Mapped, "container resources (limits and requests)"},
}

// reportDeploy reports each key under deploy: the mappings report some
// (resources, update_config, restart_policy); the rest are reported here, so
// that none is dropped silently.
func (c *converter) reportDeploy(s types.ServiceConfig, kind string) {
	d := s.Deploy
	if d == nil {
		return
	}
	for _, k := range nonEmptyKeys(d) {
		key := "deploy." + k
		if c.rep.hasKey(s.Name, key) {
			continue
		}
		switch k {
		case "mode":
			c.reportDeployMode(s, kind)
		case "replicas":
			c.reportReplicas(s, kind)
		case "endpoint_mode":
			if d.EndpointMode == "dnsrr" {
				c.rep.approx(s.Name, key, "a Service with ports gets a cluster IP; a headless Service (StatefulSet, no ports) is the closest to dnsrr")
			} else {
				c.rep.mapped(s.Name, key, "Service with a cluster IP")
			}
		default:
			c.reportFate(s.Name, key, deployFates[k])
		}
	}
	c.reportResourceRest(s)
}

func (c *converter) reportDeployMode(s types.ServiceConfig, kind string) {
	switch {
	case kind == KindDaemonSet:
		c.rep.mapped(s.Name, "deploy.mode", "DaemonSet (one pod per node)")
	case s.Deploy.Mode == "replicated":
		c.rep.mapped(s.Name, "deploy.mode", "replicas of a %s", orPod(kind))
	case s.Deploy.Mode == "replicated-job" && kind == KindJob:
		c.rep.mapped(s.Name, "deploy.mode", "Job run to completion %d times at once (deploy.replicas)", replicas(s))
	default:
		c.rep.dropped(s.Name, "deploy.mode", "%q has no equivalent; the service runs as a %s", s.Deploy.Mode, orPod(kind))
	}
}

func (c *converter) reportReplicas(s types.ServiceConfig, kind string) {
	n := *s.Deploy.Replicas
	switch kind {
	case KindDeployment, KindStatefulSet:
		c.rep.mapped(s.Name, "deploy.replicas", "spec.replicas %d (an environment may change it: see the notes)", n)
	case KindDaemonSet:
		c.rep.dropped(s.Name, "deploy.replicas", "a DaemonSet runs one pod per node")
	case KindJob:
		if s.Deploy.Mode == "replicated-job" {
			c.rep.mapped(s.Name, "deploy.replicas", "Job completions and parallelism %d", n)
			return
		}
		c.rep.dropped(s.Name, "deploy.replicas", "a Job runs its task once")
	default:
		c.rep.dropped(s.Name, "deploy.replicas", "the container runs in the pod of another service")
	}
}

// reportResourceRest reports the resource kinds Kubernetes containers do
// not take from compose: pids, devices (GPUs) and generic resources.
func (c *converter) reportResourceRest(s types.ServiceConfig) {
	for _, r := range []struct {
		name string
		res  *types.Resource
	}{{"limits", s.Deploy.Resources.Limits}, {"reservations", s.Deploy.Resources.Reservations}} {
		if r.res == nil {
			continue
		}
		key := "deploy.resources." + r.name
		if r.res.Pids > 0 {
			c.rep.dropped(s.Name, key+".pids", "the pid limit is a kubelet setting (podPidsLimit), not a container resource")
		}
		if len(r.res.Devices) > 0 {
			c.rep.dropped(s.Name, key+".devices", "request GPUs and devices through the cluster's device plugin (resources.limits, e.g. nvidia.com/gpu)")
		}
		if len(r.res.GenericResources) > 0 {
			c.rep.dropped(s.Name, key+".generic_resources", "request them through the cluster's device plugin (extended resources)")
		}
	}
}

func orPod(kind string) string {
	if kind == "" {
		return "container in another service's pod"
	}
	return kind
}
