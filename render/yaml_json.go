package render

import (
	"errors"
	"math"
	"unicode/utf16"
	"unicode/utf8"
)

// A JSON document (as encoding/json writes it) read into a flat tree
// without allocating per value: every node points into the bytes. The
// writer walks it to write YAML directly, where decoding into
// map[string]any cost more than everything else put together.

var errJSONSyntax = errors.New("render: unexpected JSON")

// jsonMaxDepth bounds the recursion; encoding/json refuses deeper input too.
const jsonMaxDepth = 10000

// A jsonNode is one value. Containers are followed by their children;
// end is the index just past the node's subtree, so siblings are
// nodes[i].end apart.
type jsonNode struct {
	kind   byte  // '{', '[', '"', '0' (number), 't', 'f', 'n'
	esc    bool  // the string value holds escapes
	keyEsc bool  // the member key holds escapes
	count  int32 // members or items
	end    int32
	val    [2]int32 // string contents (between the quotes) or number text
	key    [2]int32 // member key contents, for members of an object
}

type jsonTree struct {
	data  []byte
	nodes []jsonNode
	pos   int
}

// parse reads data (one JSON value, typically an object) into t.nodes,
// reusing their storage.
func (t *jsonTree) parse(data []byte) error {
	t.data, t.nodes, t.pos = data, t.nodes[:0], 0
	if len(data) > math.MaxInt32 {
		return errJSONSyntax // the ranges are int32s
	}
	if err := t.value(0); err != nil {
		return err
	}
	t.space()
	if t.pos != len(t.data) {
		return errJSONSyntax
	}
	return nil
}

func (t *jsonTree) space() {
	for t.pos < len(t.data) {
		switch t.data[t.pos] {
		case ' ', '\t', '\n', '\r':
			t.pos++
		default:
			return
		}
	}
}

func (t *jsonTree) value(depth int) error {
	t.space()
	if t.pos >= len(t.data) || depth > jsonMaxDepth {
		return errJSONSyntax
	}
	i := len(t.nodes)
	t.nodes = append(t.nodes, jsonNode{})
	var err error
	switch c := t.data[t.pos]; c {
	case '{':
		t.nodes[i].kind = '{'
		err = t.members(i, depth)
	case '[':
		t.nodes[i].kind = '['
		err = t.items(i, depth)
	case '"':
		t.nodes[i].kind = '"'
		t.nodes[i].val, t.nodes[i].esc, err = t.str()
	case 't', 'f', 'n':
		t.nodes[i].kind = c
		err = t.literal(c)
	default:
		t.nodes[i].kind = '0'
		t.nodes[i].val, err = t.number()
	}
	t.nodes[i].end = int32(len(t.nodes))
	return err
}

func (t *jsonTree) members(i, depth int) error {
	t.pos++ // '{'
	t.space()
	if t.pos < len(t.data) && t.data[t.pos] == '}' {
		t.pos++
		return nil
	}
	for {
		t.space()
		if t.pos >= len(t.data) || t.data[t.pos] != '"' {
			return errJSONSyntax
		}
		key, esc, err := t.str()
		if err != nil {
			return err
		}
		t.space()
		if t.pos >= len(t.data) || t.data[t.pos] != ':' {
			return errJSONSyntax
		}
		t.pos++
		child := len(t.nodes)
		if err := t.value(depth + 1); err != nil {
			return err
		}
		t.nodes[child].key, t.nodes[child].keyEsc = key, esc
		t.nodes[i].count++
		if done, err := t.next('}'); done || err != nil {
			return err
		}
	}
}

func (t *jsonTree) items(i, depth int) error {
	t.pos++ // '['
	t.space()
	if t.pos < len(t.data) && t.data[t.pos] == ']' {
		t.pos++
		return nil
	}
	for {
		if err := t.value(depth + 1); err != nil {
			return err
		}
		t.nodes[i].count++
		if done, err := t.next(']'); done || err != nil {
			return err
		}
	}
}

// next reads the ',' between two children or the closing bracket.
func (t *jsonTree) next(closing byte) (bool, error) {
	t.space()
	if t.pos >= len(t.data) {
		return false, errJSONSyntax
	}
	switch t.data[t.pos] {
	case ',':
		t.pos++
		return false, nil
	case closing:
		t.pos++
		return true, nil
	}
	return false, errJSONSyntax
}

// str reads a string and returns the range of its contents and whether
// they hold escapes (only then must they be unquoted).
func (t *jsonTree) str() ([2]int32, bool, error) {
	t.pos++ // '"'
	start, esc := t.pos, false
	for t.pos < len(t.data) {
		switch c := t.data[t.pos]; {
		case c == '"':
			t.pos++
			return [2]int32{int32(start), int32(t.pos - 1)}, esc, nil
		case c == '\\':
			esc = true
			t.pos += 2
		case c < 0x20:
			return [2]int32{}, false, errJSONSyntax
		default:
			t.pos++
		}
	}
	return [2]int32{}, false, errJSONSyntax
}

func (t *jsonTree) literal(c byte) error {
	word := "null"
	switch c {
	case 't':
		word = "true"
	case 'f':
		word = "false"
	}
	if len(t.data)-t.pos < len(word) || string(t.data[t.pos:t.pos+len(word)]) != word {
		return errJSONSyntax
	}
	t.pos += len(word)
	return nil
}

// number reads a number as JSON's grammar has it:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?
func (t *jsonTree) number() ([2]int32, error) {
	start := t.pos
	t.skip('-')
	if t.skip('0') {
		// no more digits after a leading zero
	} else if !t.digits() {
		return [2]int32{}, errJSONSyntax
	}
	if t.skip('.') && !t.digits() {
		return [2]int32{}, errJSONSyntax
	}
	if t.skip('e') || t.skip('E') {
		if !t.skip('+') {
			t.skip('-')
		}
		if !t.digits() {
			return [2]int32{}, errJSONSyntax
		}
	}
	return [2]int32{int32(start), int32(t.pos)}, nil
}

func (t *jsonTree) skip(c byte) bool {
	if t.pos < len(t.data) && t.data[t.pos] == c {
		t.pos++
		return true
	}
	return false
}

func (t *jsonTree) digits() bool {
	start := t.pos
	for t.pos < len(t.data) && t.data[t.pos] >= '0' && t.data[t.pos] <= '9' {
		t.pos++
	}
	return t.pos > start
}

// unquote appends the contents of a JSON string with escapes to dst, as
// encoding/json decodes them (a lone surrogate becomes U+FFFD); ok is
// false on a malformed escape.
func unquote(dst, s []byte) ([]byte, bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return dst, false
		}
		i += 2
		switch s[i-1] {
		case '"', '\\', '/':
			dst = append(dst, s[i-1])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, n := unicodeEscape(s[i-2:])
			if n == 0 {
				return dst, false
			}
			dst = utf8.AppendRune(dst, r)
			i += n - 2
		default:
			return dst, false
		}
	}
	return dst, true
}

// unicodeEscape decodes the \uXXXX (or surrogate pair \uXXXX\uXXXX) at
// the start of s and returns the rune and the bytes it took (0: malformed).
func unicodeEscape(s []byte) (rune, int) {
	r := hex4(s)
	if r < 0 {
		return 0, 0
	}
	if !utf16.IsSurrogate(r) {
		return r, 6
	}
	if r2 := hex4(s[6:]); r2 >= 0 {
		if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
			return dec, 12
		}
	}
	return utf8.RuneError, 6
}

// hex4 is the value of a "\uXXXX" at the start of s, or -1.
func hex4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
