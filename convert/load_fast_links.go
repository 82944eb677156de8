package convert

import (
	"strings"

	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/types"
)

// linkServiceKeys are the keys that tie a service to others, and the
// lists with a shape of their own.
func linkServiceKeys() serviceKeyDecoders {
	return serviceKeyDecoders{
		"links":        func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Links = d.stringList(n) },
		"network_mode": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.NetworkMode = d.str(n) },
		"volumes_from": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.VolumesFrom = d.stringList(n) },
		"dns":          func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.DNS = d.stringOrList(n) },
		"extra_hosts":  (*fastDecoder).extraHosts,
		"scale": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) {
			v := d.castInt(n)
			s.Scale = &v
		},
	}
}

// extraHosts decodes as types.HostsList does, from a list of host:IP
// strings or a map of host to one address or a list of them.
func (d *fastDecoder) extraHosts(s *types.ServiceConfig, n *fastyaml.Node) {
	var value any
	switch n.Kind {
	case fastyaml.Sequence:
		d.stringList(n)
		value = d.plain(n)
	case fastyaml.Mapping:
		eachEntry(n, func(key string, v *fastyaml.Node) {
			if key == "" {
				d.decline()
			}
			if v.Kind == fastyaml.Sequence {
				for i := range v.Content {
					d.str(&v.Content[i])
				}
				return
			}
			d.str(v)
		})
		value = d.plain(n)
	default:
		d.decline()
		return
	}
	if err := s.ExtraHosts.DecodeMapstructure(value); err != nil {
		d.decline()
	}
}

// impliedDependencies adds what compose-go's normalization derives from
// links, network_mode, ipc and pid of service:X, and volumes_from (in that
// order, each only when depends_on does not name the service yet).
func impliedDependencies(s *types.ServiceConfig) {
	add := func(name string, restart bool) {
		if _, ok := s.DependsOn[name]; ok {
			return
		}
		if s.DependsOn == nil {
			s.DependsOn = types.DependsOnConfig{}
		}
		s.DependsOn[name] = types.ServiceDependency{Condition: types.ServiceConditionStarted, Restart: restart, Required: true}
	}
	for _, link := range s.Links {
		if parts := strings.Split(link, ":"); len(parts) == 2 {
			link = parts[0]
		}
		add(link, true)
	}
	for _, namespace := range []string{s.NetworkMode, s.Ipc, s.Pid} {
		if shared, ok := strings.CutPrefix(namespace, types.ServicePrefix); ok {
			add(shared, true)
		}
	}
	for _, from := range s.VolumesFrom {
		if !strings.HasPrefix(from, types.ContainerPrefix) {
			add(strings.Split(from, ":")[0], false)
		}
	}
}
