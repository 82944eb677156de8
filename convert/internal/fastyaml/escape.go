package fastyaml

import "unicode/utf8"

// simpleEscapes maps the character after a backslash in a double-quoted
// scalar to what yaml.v4 writes for it. Escapes not listed and not \x, \u
// or \U are errors in yaml.v4 ("\/" among them), and so declined.
var simpleEscapes = map[byte]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", 'n': "\n", 'v': "\v",
	'f': "\f", 'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '\'': "'",
	'\\': "\\", 'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

// escape appends the escape sequence at the cursor (on the backslash) to
// buf and moves past it. An escaped line break is declined: it continues
// the scalar on the next line.
func (p *parser) escape(buf []byte) ([]byte, bool) {
	e := p.at(1)
	if s, ok := simpleEscapes[e]; ok {
		p.pos += 2
		return append(buf, s...), true
	}
	var digits int
	switch e {
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	default:
		return buf, false
	}
	code, ok := hexValue(p.src[p.pos+2:], digits)
	// yaml.v4 rejects surrogates and values beyond Unicode.
	if !ok || (code >= 0xd800 && code <= 0xdfff) || code > utf8.MaxRune {
		return buf, false
	}
	p.pos += 2 + digits
	return utf8.AppendRune(buf, rune(code)), true
}

// hexValue parses the first n bytes of s as hexadecimal digits.
func hexValue(s string, n int) (int, bool) {
	if len(s) < n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}
