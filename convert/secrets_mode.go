package convert

import (
	"fmt"
	"strconv"

	"github.com/compose-spec/compose-go/v2/types"
)

// fileMode maps the mode of a mounted secret or config. Kubernetes mounts
// the file owned by root and cannot give it compose's uid/gid; a mode that
// lets only its (non-root) owner read would lock that owner out, so such a
// file is made readable to all (it is inside the pod only).
func (c *converter) fileMode(service, key string, ref types.FileReferenceConfig) (*int32, string) {
	if ref.Mode == nil {
		return nil, ""
	}
	mode := int32(*ref.Mode) & 0o777
	if nonRoot(ref.UID) || nonRoot(ref.GID) {
		if mode&0o400 != 0 && mode&0o044 != 0o044 {
			widened := mode | 0o044
			c.rep.note("%s %s: mode %#o for uid %s gid %s: Kubernetes mounts it owned by root, so it gets %#o to stay readable", service, key, mode, orRoot(ref.UID), orRoot(ref.GID), widened)
			mode = widened
		}
	}
	return &mode, fmt.Sprintf(" (mode %#o)", mode)
}

func nonRoot(id string) bool {
	n, err := strconv.Atoi(id)
	return id != "" && (err != nil || n != 0)
}

func orRoot(id string) string {
	if id == "" {
		return "0"
	}
	return id
}
