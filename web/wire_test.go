package web

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"berth/localenv"
)

// TestEncodeLogMatchesEncodingJSON: the fast path writes exactly what
// encoding/json writes, for awkward strings too.
func TestEncodeLogMatchesEncodingJSON(t *testing.T) {
	msgs := []string{
		"", "plain", `quote " backslash \ slash /`, "tab\tnl\ncr\r\x00\x1f\x7f", "<script>&amp;</script>",
		"unicode é 漢字 🚀", "bad utf8 \xff\xfe end", "line sep \u2028 para \u2029", "\xe2\x80", "trailing \\",
	}
	for _, m := range msgs {
		for _, e := range []localenv.Event{
			{Time: time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC), Project: "demo", Service: "api", Kind: localenv.EventLog, Message: m, Pod: "api-7d9c", Stream: "app"},
			{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)), Kind: localenv.EventLog, Message: m},
		} {
			got, err := encodeEvent(e, 3)
			if err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(wireEvent{Event: e, Color: 3})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("message %q:\n got  %s\n want %s", m, got, want)
			}
		}
	}
}

func BenchmarkEncodeLog(b *testing.B) {
	e := localenv.Event{Time: time.Now(), Project: "demo", Service: "api", Kind: localenv.EventLog, Message: "GET /orders/42 200 3.1ms user=ana", Pod: "api-7d9c", Stream: "app"}
	for b.Loop() {
		if _, err := encodeEvent(e, 3); err != nil {
			b.Fatal(err)
		}
	}
}
