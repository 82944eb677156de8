package convert

import (
	"fmt"
	"net"
	"path"
	"path/filepath"
	"strings"

	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/paths"
	"github.com/compose-spec/compose-go/v2/types"
)

// ports reads the short syntax with types.ParsePortConfig, as compose-go's
// canonical transform does, and the long syntax with its defaults. Entries
// that compose-go's unicity merge would fold into one are declined.
func (d *fastDecoder) ports(n *fastyaml.Node) []types.ServicePortConfig {
	if n.Kind != fastyaml.Sequence || len(n.Content) == 0 {
		d.decline()
		return nil
	}
	var out []types.ServicePortConfig
	for i := range n.Content {
		item := &n.Content[i]
		if item.Kind == fastyaml.Mapping {
			out = append(out, d.longPort(item))
			continue
		}
		v := d.scalarValue(item)
		switch v.(type) {
		case string, int:
		default:
			d.decline()
			return nil
		}
		parsed, err := parseShortPort(fmt.Sprint(v))
		if err != nil {
			d.decline()
			return nil
		}
		out = append(out, parsed...)
	}
	seen := make(map[string]bool, len(out))
	for _, p := range out {
		host := p.HostIP
		if host == "" {
			host = "0.0.0.0" // as compose-go's unicity merge indexes ports
		} else if net.ParseIP(host) == nil {
			d.decline() // compose-go's invalid ip address
		}
		key := fmt.Sprintf("%s:%s:%d/%s", host, p.Published, p.Target, p.Protocol)
		if seen[key] {
			d.decline()
		}
		seen[key] = true
	}
	return out
}

// parseShortPort is types.ParsePortConfig, which parses with docker's nat
// package (a fifth of the fast loader's time on a file of ports); the
// common "published:target" and "target" forms, in plain decimal, are read
// directly. TestParsePortIsParsePortConfig holds it to ParsePortConfig.
func parseShortPort(spec string) ([]types.ServicePortConfig, error) {
	published, target, colon := strings.Cut(spec, ":")
	if !colon {
		published, target = "", spec
	}
	if t, ok := plainPort(target); ok && (published == "" && !colon || isPlainPort(published)) {
		return []types.ServicePortConfig{{Mode: "ingress", Target: t, Published: published, Protocol: "tcp"}}, nil
	}
	return types.ParsePortConfig(spec)
}

// plainPort reads 1 to 65535 written without sign or leading zero.
func plainPort(s string) (uint32, bool) {
	if len(s) == 0 || len(s) > 5 || s[0] == '0' {
		return 0, false
	}
	n := uint32(0)
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + uint32(s[i]-'0')
	}
	return n, n <= 65535
}

func isPlainPort(s string) bool {
	_, ok := plainPort(s)
	return ok
}

func (d *fastDecoder) longPort(n *fastyaml.Node) types.ServicePortConfig {
	p := types.ServicePortConfig{Mode: "ingress", Protocol: "tcp"}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "target":
			target := d.castInt(value)
			if target <= 0 || target > 65535 {
				d.decline()
			}
			p.Target = uint32(target)
		case "published":
			p.Published = fmt.Sprint(d.scalarValue(value))
			if value.Tag != fastyaml.Str && value.Tag != fastyaml.Int {
				d.decline()
			}
		case "protocol":
			p.Protocol = d.str(value)
		case "mode":
			p.Mode = d.str(value)
		case "name":
			p.Name = d.str(value)
		case "host_ip":
			p.HostIP = d.str(value)
		case "app_protocol":
			p.AppProtocol = d.str(value)
		default:
			d.decline()
		}
	})
	if p.Target == 0 {
		d.decline()
	}
	return p
}

// serviceVolumes reads service volumes, with the target cleaned and a bind
// source made absolute, as compose-go does.
func (d *fastDecoder) serviceVolumes(n *fastyaml.Node) []types.ServiceVolumeConfig {
	if n.Kind != fastyaml.Sequence || len(n.Content) == 0 {
		d.decline()
		return nil
	}
	out := make([]types.ServiceVolumeConfig, len(n.Content))
	targets := make(map[string]bool, len(n.Content))
	for i := range n.Content {
		v, ok := d.serviceVolume(&n.Content[i])
		if !ok || v.Target == "" || d.declined {
			d.decline()
			return nil
		}
		v.Target = path.Clean(v.Target)
		if targets[v.Target] {
			d.decline() // compose-go's error for a doubly mounted target
		}
		targets[v.Target] = true
		if v.Type == types.VolumeTypeBind {
			v.Source = d.hostPath(v.Source)
		}
		out[i] = v
	}
	return out
}

// serviceVolume reads one entry: the short syntax with format.ParseVolume,
// as compose-go does, or the long one (load_fast_volumes.go).
func (d *fastDecoder) serviceVolume(n *fastyaml.Node) (types.ServiceVolumeConfig, bool) {
	if n.Kind == fastyaml.Mapping {
		return d.longVolume(n), true
	}
	v, err := format.ParseVolume(d.str(n))
	return v, err == nil
}

// hostPath makes a bind source absolute as compose-go's maybeUnixPath does;
// a home-relative path is left to compose-go (it reads the environment).
func (d *fastDecoder) hostPath(p string) string {
	if strings.HasPrefix(p, "~") || p == "" {
		d.decline()
		return p
	}
	if path.IsAbs(p) || paths.IsWindowsAbs(p) || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(d.in.WorkingDir, p)
}
