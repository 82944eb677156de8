package convert

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
)

// ExtensionKey is the compose extension holding berth's settings.
const ExtensionKey = "x-berth"

// ServiceExt is the typed form of a service's `x-berth` extension.
type ServiceExt struct {
	Kind         string `json:"kind,omitempty"`   // deployment, statefulset, daemonset, job
	Expose       string `json:"expose,omitempty"` // http: treat published ports as HTTP
	Egress       string `json:"egress,omitempty"` // none: no egress outside the cluster
	Logs         string `json:"logs,omitempty"`   // path the service writes log files to
	Strategy     string `json:"strategy,omitempty"`
	VolumeSize   string `json:"volumeSize,omitempty"`
	StorageClass string `json:"storageClass,omitempty"`
	Metrics      *struct {
		Port int32  `json:"port"`
		Path string `json:"path,omitempty"`
	} `json:"metrics,omitempty"`
	Autoscale *struct {
		Min       int32 `json:"min,omitempty"`
		Max       int32 `json:"max"`
		CPUTarget int32 `json:"cpu,omitempty"`
	} `json:"autoscale,omitempty"`
}

// decodeExt decodes extension key of exts into out, with an error naming where.
func decodeExt(exts types.Extensions, where string, out any) error {
	raw, ok := exts[ExtensionKey]
	if !ok || raw == nil {
		return nil
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return fmt.Errorf("%w: %s.%s: %v", ErrInvalidProject, where, ExtensionKey, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("%w: %s.%s: %v", ErrInvalidProject, where, ExtensionKey, err)
	}
	return nil
}

func serviceExt(s types.ServiceConfig) (ServiceExt, error) {
	if s.Extensions[ExtensionKey] == nil {
		return ServiceExt{}, nil // as decodeExt would, without building where or e
	}
	var e ServiceExt
	err := decodeExt(s.Extensions, "services."+s.Name, &e)
	return e, err
}
