package convert

import (
	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/types"
)

// volumes reads top-level volumes that are null, {} or set a name, a
// driver, labels or external; compose-go names the others <project>_<key>
// later (topLevelNames).
func (d *fastDecoder) volumes(n *fastyaml.Node) types.Volumes {
	out := types.Volumes{}
	d.eachResource(n, false, func(key string, f resourceFields) {
		out[key] = types.VolumeConfig{Name: f.name, Driver: f.driver, External: f.external, Labels: f.labels}
	})
	return out
}

// networks reads top-level networks as volumes, plus internal.
func (d *fastDecoder) networks(n *fastyaml.Node) types.Networks {
	out := types.Networks{}
	d.eachResource(n, true, func(key string, f resourceFields) {
		out[key] = types.NetworkConfig{Name: f.name, Driver: f.driver, External: f.external, Labels: f.labels, Internal: f.internal}
	})
	return out
}

// resourceFields are what volumes and networks share, and internal.
type resourceFields struct {
	name, driver string
	external     types.External
	internal     bool
	labels       types.Labels
}

// eachResource reads a top-level section of volumes or networks.
func (d *fastDecoder) eachResource(n *fastyaml.Node, network bool, fn func(string, resourceFields)) {
	if !d.mapping(n) {
		return
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		var f resourceFields
		d.eachResourceKey(value, func(k string, val *fastyaml.Node) {
			switch {
			case k == "name":
				f.name = d.str(val)
			case k == "driver":
				f.driver = d.str(val)
			case k == "external":
				f.external = types.External(d.castBool(val))
			case k == "labels":
				f.labels = d.labels(val)
			case k == "internal" && network:
				f.internal = d.castBool(val)
			default:
				d.decline()
			}
		})
		fn(d.name(key), f)
	})
}

// eachResourceKey walks a top-level resource, which may be null.
func (d *fastDecoder) eachResourceKey(n *fastyaml.Node, fn func(string, *fastyaml.Node)) {
	if n.Kind == fastyaml.Scalar && n.Tag == fastyaml.Null {
		return
	}
	if d.mapping(n) {
		eachEntry(n, fn)
	}
}

// serviceNetworks reads a list of network names or a map of names to null
// or to aliases.
func (d *fastDecoder) serviceNetworks(n *fastyaml.Node) map[string]*types.ServiceNetworkConfig {
	out := map[string]*types.ServiceNetworkConfig{}
	switch n.Kind {
	case fastyaml.Sequence:
		for _, name := range d.stringList(n) {
			out[name] = nil
		}
	case fastyaml.Mapping:
		eachEntry(n, func(key string, value *fastyaml.Node) {
			out[d.name(key)] = d.serviceNetwork(value)
		})
	default:
		d.decline()
	}
	if len(out) == 0 {
		d.decline()
	}
	return out
}

func (d *fastDecoder) serviceNetwork(n *fastyaml.Node) *types.ServiceNetworkConfig {
	if n.Kind == fastyaml.Scalar && n.Tag == fastyaml.Null {
		return nil
	}
	c := &types.ServiceNetworkConfig{}
	if !d.mapping(n) {
		return c
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		if key != "aliases" {
			d.decline()
			return
		}
		c.Aliases = d.stringList(value)
	})
	return c
}

// defaultNetwork adds the implicit default network when a service is on it
// and the file does not declare it.
func (d *fastDecoder) defaultNetwork(p *types.Project) {
	for _, s := range p.Services {
		if _, on := s.Networks["default"]; !on {
			continue
		}
		if _, declared := p.Networks["default"]; !declared {
			if p.Networks == nil {
				p.Networks = types.Networks{}
			}
			p.Networks["default"] = types.NetworkConfig{}
		}
		return
	}
}

// topLevelNames gives networks and volumes without a name the one compose
// creates: their key when external, else <project>_<key>.
func (d *fastDecoder) topLevelNames(p *types.Project) {
	for key, n := range p.Networks {
		if n.Name == "" {
			n.Name = d.resourceName(key, bool(n.External))
			p.Networks[key] = n
		}
	}
	for key, v := range p.Volumes {
		if v.Name == "" {
			v.Name = d.resourceName(key, bool(v.External))
			p.Volumes[key] = v
		}
	}
}

func (d *fastDecoder) resourceName(key string, external bool) string {
	if external {
		return key
	}
	return d.in.ProjectName + "_" + key
}

// secrets reads top-level secrets: a file (made absolute), an environment
// variable (its value becomes the content) or external, exactly one unless
// external (compose-go's check).
func (d *fastDecoder) secrets(n *fastyaml.Node) types.Secrets {
	out := types.Secrets{}
	d.eachFileObject(n, false, func(key string, o types.FileObjectConfig) { out[key] = types.SecretConfig(o) })
	return out
}

// configs reads top-level configs as secrets, plus inline content.
func (d *fastDecoder) configs(n *fastyaml.Node) types.Configs {
	out := types.Configs{}
	d.eachFileObject(n, true, func(key string, o types.FileObjectConfig) { out[key] = types.ConfigObjConfig(o) })
	return out
}

func (d *fastDecoder) eachFileObject(n *fastyaml.Node, content bool, fn func(string, types.FileObjectConfig)) {
	if !d.mapping(n) {
		return
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		var o types.FileObjectConfig
		sources := 0
		d.eachResourceKey(value, func(k string, val *fastyaml.Node) {
			switch k {
			case "name":
				o.Name = d.str(val)
			case "file":
				o.File = d.hostPath(d.str(val))
				sources++
			case "environment":
				o.Environment = d.str(val)
				sources++
			case "content":
				o.Content = d.str(val)
				sources++
				if !content {
					d.decline()
				}
			case "external":
				o.External = types.External(d.castBool(val))
			default:
				d.decline()
			}
		})
		if sources != 1 || o.External {
			d.decline() // compose-go's errors and warnings
		}
		if value, found := d.in.Environment[o.Environment]; o.Environment != "" && found {
			o.Content = value // compose-go's ResolveEnvironment
		}
		o.Name = d.objectName(key, o.Name)
		fn(d.name(key), o)
	})
}

func (d *fastDecoder) objectName(key, name string) string {
	if name != "" {
		return name
	}
	return d.resourceName(key, false)
}
