package convert

import (
	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
)

// fastServiceKeys are the service keys fastLoad reads, each as compose-go
// decodes it; a service with any other key is left to compose-go.
var fastServiceKeys = joinServiceKeys(basicServiceKeys(), moreServiceKeys(), linkServiceKeys(), limitServiceKeys(), runServiceKeys())

// serviceKeyDecoders decode one service key each.
type serviceKeyDecoders = map[string]func(*fastDecoder, *types.ServiceConfig, *fastyaml.Node)

func joinServiceKeys(sets ...serviceKeyDecoders) serviceKeyDecoders {
	all := serviceKeyDecoders{}
	for _, set := range sets {
		for key, decode := range set {
			all[key] = decode
		}
	}
	return all
}

func basicServiceKeys() serviceKeyDecoders {
	return serviceKeyDecoders{
		"image":          func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Image = d.str(n) },
		"hostname":       func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Hostname = d.str(n) },
		"working_dir":    func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.WorkingDir = d.str(n) },
		"user":           func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.User = d.str(n) },
		"restart":        func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Restart = d.str(n) },
		"container_name": (*fastDecoder).containerName,
		"command":        func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Command = d.command(n) },
		"entrypoint":     func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Entrypoint = d.command(n) },
		"environment":    func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Environment = d.environment(n) },
		"labels":         func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Labels = d.labels(n) },
		"ports":          func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Ports = d.ports(n) },
		"expose":         func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Expose = d.expose(n) },
		"volumes":        func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Volumes = d.serviceVolumes(n) },
		"depends_on":     func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.DependsOn = d.dependsOn(n) },
		"healthcheck":    func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.HealthCheck = d.healthcheck(n) },
		"deploy":         func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Deploy = d.deploy(n) },
		"networks":       func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Networks = d.serviceNetworks(n) },
		"build":          func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Build = d.build(n) },
	}
}

// parallelServices is where decoding services on every CPU pays.
const parallelServices = 64

func (d *fastDecoder) services(n *fastyaml.Node) types.Services {
	if !d.mapping(n) {
		return nil
	}
	count := len(n.Content) / 2
	decoded := make([]types.ServiceConfig, count)
	declined := make([]bool, count)
	decode := func(i int) {
		one := &fastDecoder{in: d.in}
		decoded[i] = one.service(one.name(n.Content[2*i].Value), &n.Content[2*i+1])
		declined[i] = one.declined
	}
	if count >= parallelServices {
		tree.OnEveryCPU(count, decode)
	} else {
		for i := 0; i < count; i++ {
			decode(i)
		}
	}
	out := make(types.Services, count)
	for i := range decoded {
		if declined[i] {
			d.declined = true
		}
		out[decoded[i].Name] = decoded[i]
	}
	return out
}

func (d *fastDecoder) service(name string, n *fastyaml.Node) types.ServiceConfig {
	s := types.ServiceConfig{Name: name}
	if !d.mapping(n) {
		return s
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		if d.declined {
			return
		}
		d.key = key
		if decode, ok := fastServiceKeys[key]; ok {
			decode(d, &s, value)
			return
		}
		d.extension(&s.Extensions, key, value)
	})
	if s.Image == "" && s.Build == nil {
		d.decline() // compose-go's error: a service needs an image or a build
	}
	impliedDependencies(&s)
	if s.Networks == nil && s.NetworkMode == "" {
		// compose-go connects a service without networks to the default one
		s.Networks = map[string]*types.ServiceNetworkConfig{"default": nil}
	}
	return s
}

// containerNamePattern is the schema's, which is not anchored: a name
// passes when some part of it matches.
var containerNamePattern = lazyRegexp(`[a-zA-Z0-9][a-zA-Z0-9_.-]+`)

func (d *fastDecoder) containerName(s *types.ServiceConfig, n *fastyaml.Node) {
	s.ContainerName = d.str(n)
	if !containerNamePattern().MatchString(s.ContainerName) {
		d.decline()
	}
}

// command reads command and entrypoint: a string split as a shell would,
// or a list of strings; null is left to compose-go.
func (d *fastDecoder) command(n *fastyaml.Node) types.ShellCommand {
	var c types.ShellCommand
	switch n.Kind {
	case fastyaml.Scalar:
		if err := c.DecodeMapstructure(d.str(n)); err != nil {
			d.decline()
		}
	case fastyaml.Sequence:
		c = make(types.ShellCommand, len(n.Content))
		for i := range n.Content {
			c[i] = d.str(&n.Content[i])
		}
	default:
		d.decline()
	}
	return c
}
