package convert

import (
	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/types"
)

// deployKey reads the deploy keys besides replicas and resources.
func (d *fastDecoder) deployKey(c *types.DeployConfig, key string, value *fastyaml.Node) {
	switch key {
	case "mode":
		c.Mode = d.str(value)
	case "endpoint_mode":
		c.EndpointMode = d.str(value)
	case "labels":
		c.Labels = d.labels(value)
	case "restart_policy":
		c.RestartPolicy = d.restartPolicy(value)
	case "update_config":
		c.UpdateConfig = d.updateConfig(value)
	case "rollback_config":
		c.RollbackConfig = d.updateConfig(value)
	case "placement":
		c.Placement = d.placement(value)
	default:
		d.decline()
	}
}

func (d *fastDecoder) restartPolicy(n *fastyaml.Node) *types.RestartPolicy {
	p := &types.RestartPolicy{}
	if !d.mapping(n) {
		return p
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "condition":
			p.Condition = d.str(value)
		case "delay":
			p.Delay = d.duration(value)
		case "window":
			p.Window = d.duration(value)
		case "max_attempts":
			attempts := d.castUint(value)
			p.MaxAttempts = &attempts
		default:
			d.decline()
		}
	})
	return p
}

// updateOrders are the schema's.
var updateOrders = map[string]bool{"start-first": true, "stop-first": true}

func (d *fastDecoder) updateConfig(n *fastyaml.Node) *types.UpdateConfig {
	c := &types.UpdateConfig{}
	if !d.mapping(n) {
		return c
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "parallelism":
			p := d.castUint(value)
			c.Parallelism = &p
		case "delay":
			c.Delay = *d.duration(value)
		case "monitor":
			c.Monitor = *d.duration(value)
		case "failure_action":
			c.FailureAction = d.str(value)
		case "order":
			if c.Order = d.str(value); !updateOrders[c.Order] {
				d.decline()
			}
		default:
			d.decline()
		}
	})
	return c
}

func (d *fastDecoder) placement(n *fastyaml.Node) types.Placement {
	var p types.Placement
	if !d.mapping(n) {
		return p
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "constraints":
			p.Constraints = d.stringList(value)
		case "max_replicas_per_node":
			p.MaxReplicas = d.castUint(value)
		default:
			d.decline()
		}
	})
	return p
}

// castUint is castInt for unsigned fields: a negative number declines
// (compose-go's decoder refuses it).
func (d *fastDecoder) castUint(n *fastyaml.Node) uint64 {
	v := d.castInt(n)
	if v < 0 {
		d.decline()
		return 0
	}
	return uint64(v)
}
