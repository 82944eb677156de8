package convert

import (
	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/types"
)

// volumeTypes are the long syntax's types berth reads here (the schema
// also has cluster, npipe and image).
var volumeTypes = map[string]bool{types.VolumeTypeBind: true, types.VolumeTypeVolume: true, types.VolumeTypeTmpfs: true}

// longVolume reads the long syntax of a service volume. Unlike the short
// one it gets no bind or volume options unless it writes them; a written
// bind block defaults create_host_path to true.
func (d *fastDecoder) longVolume(n *fastyaml.Node) types.ServiceVolumeConfig {
	var v types.ServiceVolumeConfig
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "type":
			if v.Type = d.str(value); !volumeTypes[v.Type] {
				d.decline()
			}
		case "source":
			v.Source = d.str(value)
		case "target":
			v.Target = d.str(value)
		case "read_only":
			v.ReadOnly = d.castBool(value)
		case "bind":
			v.Bind = d.bindOptions(value)
		case "volume":
			v.Volume = d.volumeOptions(value)
		case "tmpfs":
			v.Tmpfs = d.tmpfsOptions(value)
		default:
			d.decline()
		}
	})
	if v.Type == "" {
		d.decline() // the schema requires a type
	}
	if v.Type == types.VolumeTypeBind {
		if v.Source == "" {
			d.decline() // compose-go: field Source must not be empty
		}
		v.Source = d.hostPath(v.Source)
	}
	return v
}

// selinuxOptions are the schema's.
var selinuxOptions = map[string]bool{"z": true, "Z": true}

func (d *fastDecoder) bindOptions(n *fastyaml.Node) *types.ServiceVolumeBind {
	b := &types.ServiceVolumeBind{CreateHostPath: true}
	if !d.mapping(n) {
		return b
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "create_host_path":
			b.CreateHostPath = types.OptOut(d.castBool(value))
		case "propagation":
			b.Propagation = d.str(value)
		case "selinux":
			if b.SELinux = d.str(value); !selinuxOptions[b.SELinux] {
				d.decline()
			}
		default:
			d.decline()
		}
	})
	return b
}

func (d *fastDecoder) volumeOptions(n *fastyaml.Node) *types.ServiceVolumeVolume {
	o := &types.ServiceVolumeVolume{}
	if !d.mapping(n) {
		return o
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "nocopy":
			o.NoCopy = d.castBool(value)
		case "subpath":
			o.Subpath = d.str(value)
		default:
			d.decline()
		}
	})
	return o
}

func (d *fastDecoder) tmpfsOptions(n *fastyaml.Node) *types.ServiceVolumeTmpfs {
	t := &types.ServiceVolumeTmpfs{}
	if !d.mapping(n) {
		return t
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "size":
			if t.Size = d.unitBytes(value); t.Size < 0 {
				d.decline()
			}
		case "mode":
			if value.Tag != fastyaml.Int {
				d.decline() // a string mode fails compose-go's decoder
			}
			t.Mode = uint32(d.castUint(value))
		default:
			d.decline()
		}
	})
	return t
}
