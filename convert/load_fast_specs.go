package convert

import (
	"path/filepath"
	"strings"

	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/types"
)

func (d *fastDecoder) healthcheck(n *fastyaml.Node) *types.HealthCheckConfig {
	h := &types.HealthCheckConfig{}
	if !d.mapping(n) {
		return h
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "test":
			h.Test = d.healthTest(value)
		case "interval":
			h.Interval = d.duration(value)
		case "timeout":
			h.Timeout = d.duration(value)
		case "start_period":
			h.StartPeriod = d.duration(value)
		case "start_interval":
			h.StartInterval = d.duration(value)
		case "retries":
			r := d.castInt(value)
			if r < 0 {
				d.decline()
			}
			retries := uint64(r)
			h.Retries = &retries
		case "disable":
			h.Disable = d.castBool(value)
		default:
			d.decline()
		}
	})
	return h
}

// healthTest: a string runs under the shell (CMD-SHELL), a list as given.
func (d *fastDecoder) healthTest(n *fastyaml.Node) types.HealthCheckTest {
	switch n.Kind {
	case fastyaml.Scalar:
		return types.HealthCheckTest{"CMD-SHELL", d.str(n)}
	case fastyaml.Sequence:
		t := make(types.HealthCheckTest, len(n.Content))
		for i := range n.Content {
			t[i] = d.str(&n.Content[i])
		}
		return t
	}
	d.decline()
	return nil
}

func (d *fastDecoder) duration(n *fastyaml.Node) *types.Duration {
	var v types.Duration
	if err := v.DecodeMapstructure(d.str(n)); err != nil {
		d.decline()
	}
	return &v
}

func (d *fastDecoder) deploy(n *fastyaml.Node) *types.DeployConfig {
	c := &types.DeployConfig{}
	if !d.mapping(n) {
		return c
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "replicas":
			r := d.castInt(value)
			c.Replicas = &r
		case "resources":
			c.Resources = d.resources(value)
		default:
			d.deployKey(c, key, value)
		}
	})
	return c
}

func (d *fastDecoder) resources(n *fastyaml.Node) types.Resources {
	var r types.Resources
	if !d.mapping(n) {
		return r
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "limits":
			r.Limits = d.resource(value)
		case "reservations":
			r.Reservations = d.resource(value)
		default:
			d.decline()
		}
	})
	return r
}

func (d *fastDecoder) resource(n *fastyaml.Node) *types.Resource {
	r := &types.Resource{}
	if !d.mapping(n) {
		return r
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "cpus":
			if err := r.NanoCPUs.DecodeMapstructure(d.scalarValue(value)); err != nil || value.Tag == fastyaml.Bool {
				d.decline()
			}
		case "memory":
			if err := r.MemoryBytes.DecodeMapstructure(d.str(value)); err != nil {
				d.decline()
			}
		case "pids":
			r.Pids = int64(d.castInt(value)) // no cast in compose-go: a string declines below
			if value.Tag != fastyaml.Int {
				d.decline()
			}
		default:
			d.decline()
		}
	})
	return r
}

// build reads `build: DIR` and the map form's common keys, with compose-go's
// defaults (context ".", dockerfile "Dockerfile") and the context made
// absolute unless it is remote.
func (d *fastDecoder) build(n *fastyaml.Node) *types.BuildConfig {
	b := &types.BuildConfig{Context: "."}
	switch n.Kind {
	case fastyaml.Scalar:
		b.Context = d.str(n)
	case fastyaml.Mapping:
		eachEntry(n, func(key string, value *fastyaml.Node) { d.buildKey(b, key, value) })
	default:
		d.decline()
	}
	if b.Dockerfile == "" {
		b.Dockerfile = "Dockerfile"
	}
	b.Context = d.contextPath(b.Context)
	return b
}

func (d *fastDecoder) buildKey(b *types.BuildConfig, key string, value *fastyaml.Node) {
	switch key {
	case "context":
		b.Context = d.str(value)
	case "dockerfile":
		if b.Dockerfile = d.str(value); b.Dockerfile == "" {
			d.decline()
		}
	case "target":
		b.Target = d.str(value)
	case "args":
		b.Args = d.buildArgs(value)
	default:
		d.decline()
	}
}

// buildArgs reads arguments as the environment is read, and leaves out
// those without a value that the environment does not set either, as
// compose-go's normalization does.
func (d *fastDecoder) buildArgs(n *fastyaml.Node) types.MappingWithEquals {
	args := d.environment(n)
	for k, v := range args {
		if v == nil {
			delete(args, k)
		}
	}
	return args
}

// contextPath is compose-go's absContextPath.
func (d *fastDecoder) contextPath(c string) string {
	if strings.Contains(c, "://") || strings.HasPrefix(c, types.ServicePrefix) {
		return c
	}
	for _, prefix := range []string{"https://", "http://", "git://", "ssh://", "github.com/", "git@"} {
		if strings.HasPrefix(c, prefix) {
			return c
		}
	}
	if strings.HasPrefix(c, "~") || c == "" {
		d.decline()
		return c
	}
	if filepath.IsAbs(c) {
		return c
	}
	return filepath.Join(d.in.WorkingDir, c)
}
