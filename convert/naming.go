package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// DNSName turns a compose name (which may hold `_`, `.`, capitals) into a
// valid DNS-1123 label, the same way everywhere so that references agree.
// Names that had to be truncated keep a short hash so two long names never
// collide.
func DNSName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = "x" + shortHash(name)
	}
	if s[0] >= '0' && s[0] <= '9' && len(s) > 62 {
		s = "s" + s
	}
	return truncateName(s, 63, name)
}

// truncateName shortens s to max characters, replacing the tail with a hash of
// the original name.
func truncateName(s string, max int, original string) string {
	if len(s) <= max {
		return s
	}
	h := shortHash(original)
	return strings.TrimRight(s[:max-len(h)-1], "-") + "-" + h
}

// childName builds "<parent>-<suffix>" within 63 characters.
func childName(parent, suffix string) string {
	return truncateName(parent+"-"+DNSName(suffix), 63, parent+"/"+suffix)
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// secretKeyName turns a compose name into a valid Secret/ConfigMap data key
// ([-._a-zA-Z0-9]+).
func secretKeyName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "value"
	}
	return b.String()
}
