package convert_test

import (
	"strings"
	"testing"

	"berth/convert"

	"k8s.io/apimachinery/pkg/util/validation"
)

// TestDNSNameStartsWithALetter: a Service name must be a DNS-1035 label,
// so compose names that start with a digit get a letter in front, the
// same way every time, and stay within 63 characters.
func TestDNSNameStartsWithALetter(t *testing.T) {
	long := "1" + strings.Repeat("x", 70)
	for _, tc := range []struct{ in, want string }{
		{"web", "web"},
		{"1db", "s1db"},
		{"2_cache.v1", "s2-cache-v1"},
		{"_9lives", "s9lives"},
		{"s1db", "s1db"},
		{"", "x" + convert.DNSName("")[1:]},
	} {
		if got := convert.DNSName(tc.in); got != tc.want {
			t.Errorf("DNSName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	got := convert.DNSName(long)
	if errs := validation.IsDNS1035Label(got); len(errs) > 0 || got[0] != 's' {
		t.Errorf("DNSName(71 chars from a digit) = %q: %v", got, errs)
	}
	if convert.DNSName(long+"y") == got {
		t.Errorf("two long names truncated to the same %q", got)
	}
}
