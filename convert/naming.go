package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// DNSName turns a compose name (which may hold `_`, `.`, capitals) into a
// valid DNS-1035 label, the same way everywhere so that references agree.
// DNS-1035 (what a Service name must be) also needs a leading letter, so a
// name that starts with a digit gets an "s" in front: "1db" becomes
// "s1db" ("1db" is refused at apply time). Names that had to be truncated
// keep a short hash so two long names never collide.
func DNSName(name string) string {
	s := dnsLabel(name)
	if s == "" {
		s = "x" + shortHash(name)
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "s" + s
	}
	return truncateName(s, 63, name)
}

// dnsLabel lowercases name and turns every run of other characters than
// letters and digits into one dash, trimmed at both ends.
func dnsLabel(name string) string {
	if isDNSLabel(name) {
		return name // most compose names already are; no copy
	}
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
	return strings.Trim(b.String(), "-")
}

// isDNSLabel reports whether dnsLabel would return name unchanged: lower
// case letters and digits, single dashes between them.
func isDNSLabel(name string) bool {
	for i := 0; i < len(name); i++ {
		switch ch := name[i]; {
		case ch >= 'a' && ch <= 'z', ch >= '0' && ch <= '9':
		case ch == '-' && i > 0 && i < len(name)-1 && name[i-1] != '-':
		default:
			return false
		}
	}
	return true
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

// statefulSetName is DNSName within 52 characters: the controller labels
// each pod with "<name>-<10-character revision hash>" and a label value
// holds at most 63, so a longer StatefulSet is accepted but never gets a pod.
func statefulSetName(service string) string {
	return truncateName(DNSName(service), 52, service)
}

// childName builds "<parent>-<suffix>" within 63 characters. The suffix
// needs no leading letter ("web-8080"): the parent gives the name one. When
// the whole is too long the parent is shortened, not the suffix, so that
// "-backups" or "-public" still say what the object is.
func childName(parent, suffix string) string {
	label := dnsLabel(suffix)
	if label == "" {
		label = "x" + shortHash(suffix)
	}
	if name := parent + "-" + label; len(name) <= 63 {
		return name // as truncateName would, without joining the hash input
	}
	if len(label) > 30 {
		return truncateName(parent+"-"+label, 63, parent+"/"+suffix)
	}
	return truncateName(parent, 63-len(label)-1, parent) + "-" + label
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
