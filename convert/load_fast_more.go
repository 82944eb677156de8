package convert

import (
	"strings"

	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/types"
)

// moreServiceKeys are the simple keys real files use often.
func moreServiceKeys() serviceKeyDecoders {
	return serviceKeyDecoders{
		"profiles":    func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Profiles = d.stringList(n) },
		"cap_add":     func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.CapAdd = d.stringList(n) },
		"cap_drop":    func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.CapDrop = d.stringList(n) },
		"stop_signal": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.StopSignal = d.str(n) },
		"platform":    func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Platform = d.str(n) },
		"privileged":  func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Privileged = d.castBool(n) },
		"read_only":   func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.ReadOnly = d.castBool(n) },
		"tty":         func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Tty = d.castBool(n) },
		"stdin_open":  func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.StdinOpen = d.castBool(n) },
		"init": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) {
			v := d.castBool(n)
			s.Init = &v
		},
		"stop_grace_period": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.StopGracePeriod = d.duration(n) },
		"tmpfs":             func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Tmpfs = d.stringOrList(n) },
		"security_opt":      func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.SecurityOpt = d.stringList(n) },
		"env_file":          func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.EnvFiles = d.envFiles(n) },
		"secrets": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) {
			for _, r := range d.fileReferences(n, "/run/secrets/") {
				s.Secrets = append(s.Secrets, types.ServiceSecretConfig(r))
			}
		},
		"configs": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) {
			for _, r := range d.fileReferences(n, "") {
				s.Configs = append(s.Configs, types.ServiceConfigObjConfig(r))
			}
		},
	}
}

// stringOrList reads a string or a list of strings (tmpfs).
func (d *fastDecoder) stringOrList(n *fastyaml.Node) types.StringList {
	if n.Kind == fastyaml.Scalar {
		return types.StringList{d.str(n)}
	}
	return d.stringList(n)
}

// envFiles reads env_file paths (required unless said otherwise), made
// absolute; WithServicesEnvironmentResolved reads them.
func (d *fastDecoder) envFiles(n *fastyaml.Node) []types.EnvFile {
	if n.Kind == fastyaml.Scalar {
		return []types.EnvFile{{Path: d.filePath(d.str(n)), Required: true}}
	}
	if n.Kind != fastyaml.Sequence || len(n.Content) == 0 {
		d.decline()
		return nil
	}
	out := make([]types.EnvFile, len(n.Content))
	for i := range n.Content {
		item := &n.Content[i]
		if item.Kind != fastyaml.Mapping {
			out[i] = types.EnvFile{Path: d.filePath(d.str(item)), Required: true}
			continue
		}
		out[i] = d.envFile(item)
	}
	return out
}

func (d *fastDecoder) envFile(n *fastyaml.Node) types.EnvFile {
	f := types.EnvFile{Required: true}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "path":
			f.Path = d.filePath(d.str(value))
		case "required":
			f.Required = types.OptOut(d.castBool(value))
		case "format":
			f.Format = d.str(value)
		default:
			d.decline()
		}
	})
	if f.Path == "" {
		d.decline()
	}
	return f
}

// filePath is compose-go's absPath for env files.
func (d *fastDecoder) filePath(p string) string {
	if strings.HasPrefix(p, "~") || p == "" {
		d.decline()
		return p
	}
	return d.hostPath(p)
}

// fileReferences reads a service's secrets or configs: a name, or source,
// target, uid, gid and mode. Secrets default their target to
// /run/secrets/<source> (defaultTarget), configs have none.
func (d *fastDecoder) fileReferences(n *fastyaml.Node, defaultTarget string) []types.FileReferenceConfig {
	if n.Kind != fastyaml.Sequence || len(n.Content) == 0 {
		d.decline()
		return nil
	}
	out := make([]types.FileReferenceConfig, len(n.Content))
	seen := map[string]bool{}
	for i := range n.Content {
		r := d.fileReference(&n.Content[i])
		// compose-go's unicity merge folds entries with one index (its
		// mountIndexer): the target given, else the default path
		index := r.Target
		if index == "" {
			index = strings.TrimSuffix(defaultTarget, "/") + "/" + r.Source
		}
		if seen[index] || r.Source == "" {
			d.decline()
		}
		seen[index] = true
		if r.Target == "" && defaultTarget != "" {
			r.Target = defaultTarget + r.Source
		}
		out[i] = r
	}
	return out
}

func (d *fastDecoder) fileReference(n *fastyaml.Node) types.FileReferenceConfig {
	var r types.FileReferenceConfig
	if n.Kind == fastyaml.Scalar {
		r.Source = d.str(n)
		return r
	}
	if !d.mapping(n) {
		return r
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "source":
			r.Source = d.str(value)
		case "target":
			r.Target = d.str(value)
		case "uid":
			r.UID = d.str(value)
		case "gid":
			r.GID = d.str(value)
		case "mode":
			var m types.FileMode
			if err := m.DecodeMapstructure(d.scalarValue(value)); err != nil || value.Tag == fastyaml.Float {
				d.decline()
			}
			r.Mode = &m
		default:
			d.decline()
		}
	})
	return r
}
