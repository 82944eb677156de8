package web

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"berth/localenv"
)

// wireEvent is an Event as the browser receives it: with the colour index
// of its service so the server and the page agree on colours, and for a
// status the build time formatted as the server renders it, so a live row
// reads like a reloaded one.
type wireEvent struct {
	localenv.Event
	Color int    `json:"c"`
	Built string `json:"built,omitempty"`
}

// encodeEvent encodes e once for every client. Log lines, nearly all of
// the volume, take a hand-written path that writes the same JSON as
// encoding/json (without its reflection); other events use encoding/json.
func encodeEvent(e localenv.Event, color int) ([]byte, error) {
	if e.Kind != localenv.EventLog || e.Status != nil {
		w := wireEvent{Event: e, Color: color}
		if e.Status != nil {
			w.Built = formatTime(e.Status.BuiltAt)
		}
		return json.Marshal(w)
	}
	b := make([]byte, 0, 96+len(e.Message)+len(e.Project)+len(e.Service)+len(e.Pod)+len(e.Stream))
	b = append(b, `{"time":"`...)
	b = e.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","project":`...)
	b = appendJSONString(b, e.Project)
	b = appendField(b, "service", e.Service)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(e.Kind))
	b = appendField(b, "message", e.Message)
	b = appendField(b, "pod", e.Pod)
	b = appendField(b, "stream", e.Stream)
	b = append(b, `,"c":`...)
	b = strconv.AppendInt(b, int64(color), 10)
	return append(b, '}'), nil
}

// appendField appends ,"name":"value" unless value is empty (omitempty).
func appendField(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, value)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way encoding/json does:
// control characters, quotes, backslashes, <, >, & and U+2028/U+2029
// escaped, invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
