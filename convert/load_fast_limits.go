package convert

import (
	"fmt"

	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/types"
)

// limitServiceKeys are the container limits and namespaces real files set.
func limitServiceKeys() serviceKeyDecoders {
	return serviceKeyDecoders{
		"ulimits":         (*fastDecoder).ulimits,
		"sysctls":         func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Sysctls = d.stringMapping(n) },
		"annotations":     func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Annotations = d.stringMapping(n) },
		"mem_limit":       func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.MemLimit = d.unitBytes(n) },
		"mem_reservation": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.MemReservation = d.unitBytes(n) },
		"memswap_limit":   func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.MemSwapLimit = d.unitBytes(n) },
		"shm_size":        func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.ShmSize = d.unitBytes(n) },
		"ipc":             func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Ipc = d.str(n) },
		"pid":             func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Pid = d.str(n) },
		"runtime":         func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.Runtime = d.str(n) },
		"cgroup_parent":   func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.CgroupParent = d.str(n) },
		"domainname":      func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.DomainName = d.str(n) },
		"dns_search":      func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.DNSSearch = d.stringOrList(n) },
		"dns_opt":         func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.DNSOpts = d.stringList(n) },
	}
}

// stringMapping reads a list_or_dict as types.Mapping decodes it (sysctls,
// annotations): as labels are read.
func (d *fastDecoder) stringMapping(n *fastyaml.Node) types.Mapping {
	return types.Mapping(d.labels(n))
}

// unitBytes reads a size: a number of bytes or a string such as 256m.
func (d *fastDecoder) unitBytes(n *fastyaml.Node) types.UnitBytes {
	var u types.UnitBytes
	v := d.scalarValue(n)
	switch v.(type) {
	case int, string:
	default:
		d.decline() // floats and the rest: compose-go decodes them its own way
		return 0
	}
	if err := u.DecodeMapstructure(v); err != nil {
		d.decline()
	}
	return u
}

// ulimits reads name: N or name: {soft: N, hard: M}, numbers or strings
// that compose-go casts; names are the schema's ^[a-z]+$.
func (d *fastDecoder) ulimits(s *types.ServiceConfig, n *fastyaml.Node) {
	if !d.mapping(n) {
		return
	}
	s.Ulimits = map[string]*types.UlimitsConfig{}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		for i := 0; i < len(key); i++ {
			if key[i] < 'a' || key[i] > 'z' {
				d.decline()
			}
		}
		u := &types.UlimitsConfig{}
		if value.Kind == fastyaml.Scalar {
			u.Single = d.castInt(value)
		} else {
			d.softHard(u, value)
		}
		s.Ulimits[key] = u
	})
}

func (d *fastDecoder) softHard(u *types.UlimitsConfig, n *fastyaml.Node) {
	soft, hard := false, false
	if d.mapping(n) {
		eachEntry(n, func(key string, value *fastyaml.Node) {
			switch key {
			case "soft":
				u.Soft, soft = d.castInt(value), true
			case "hard":
				u.Hard, hard = d.castInt(value), true
			default:
				d.decline()
			}
		})
	}
	if !soft || !hard {
		d.decline() // the schema requires both
	}
}

// runServiceKeys are more keys of how a container runs.
func runServiceKeys() serviceKeyDecoders {
	return serviceKeyDecoders{
		"logging":     (*fastDecoder).logging,
		"pull_policy": (*fastDecoder).pullPolicy,
		"group_add":   (*fastDecoder).groupAdd,
		"oom_score_adj": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) {
			s.OomScoreAdj = d.castInt64(n, -1000, 1000)
		},
		"pids_limit": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) {
			s.PidsLimit = d.castInt64(n, -1, 1<<62)
		},
		"cpu_shares": func(d *fastDecoder, s *types.ServiceConfig, n *fastyaml.Node) { s.CPUShares = d.castInt64(n, 0, 1<<62) },
	}
}

// castInt64 is castInt for int64 fields, declining outside [low, high].
func (d *fastDecoder) castInt64(n *fastyaml.Node, low, high int) int64 {
	v := d.castInt(n)
	if v < low || v > high {
		d.decline()
	}
	return int64(v)
}

func (d *fastDecoder) logging(s *types.ServiceConfig, n *fastyaml.Node) {
	s.Logging = &types.LoggingConfig{}
	if !d.mapping(n) {
		return
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "driver":
			s.Logging.Driver = d.str(value)
		case "options":
			s.Logging.Options = d.logOptions(value)
		default:
			d.decline()
		}
	})
}

// logOptions: strings, numbers or null (""), as types.Options decodes them.
func (d *fastDecoder) logOptions(n *fastyaml.Node) types.Options {
	out := types.Options{}
	if !d.mapping(n) {
		return out
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		if key == "" || value.Tag == fastyaml.Bool {
			d.decline()
		}
		out[key] = ""
		if v := d.scalarValue(value); v != nil {
			out[key] = fmt.Sprint(v)
		}
	})
	return out
}

// pullPolicies are the schema's, but for every_<duration>.
var pullPolicies = map[string]bool{"always": true, "never": true, "build": true, "if_not_present": true,
	"missing": true, "refresh": true, "daily": true, "weekly": true}

func (d *fastDecoder) pullPolicy(s *types.ServiceConfig, n *fastyaml.Node) {
	if s.PullPolicy = d.str(n); !pullPolicies[s.PullPolicy] {
		d.decline()
	}
	if s.PullPolicy == types.PullPolicyIfNotPresent {
		s.PullPolicy = types.PullPolicyMissing // compose-go's normalization
	}
}

// groupAdd reads names or numbers, numbers as text.
func (d *fastDecoder) groupAdd(s *types.ServiceConfig, n *fastyaml.Node) {
	s.GroupAdd = d.textList(n)
}
