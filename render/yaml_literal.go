package render

import (
	"bytes"
	"unicode/utf8"
)

// Multi-line strings: yaml.v2 asks for a literal block (encode.go
// stringv) and writes one (emitterc.go yaml_emitter_write_literal_scalar)
// unless the string's characters forbid it, when it falls back to double
// quotes. literal writes the blocks; it leaves to yaml.v2 the double
// quotes, the "keep" chomping ("|+", whose "..." document end depends on
// what follows) and line breaks other than "\n".

// literal writes s, which holds a "\n", as a literal block after "key:"
// or "-"; the lines start at column cont, as folded lines do.
func (w *yamlWriter) literal(s []byte, cont int) error {
	if !literalAllowed(s) {
		return errEmitFallback
	}
	w.buf = append(w.buf, " |"...)
	if s[0] == ' ' || s[0] == '\n' {
		w.buf = append(w.buf, '2') // an indentation indicator, best_indent
	}
	if last := len(s) - 1; s[last] == '\n' {
		s = s[:last] // "clip": the block's last line break is the string's
	} else {
		w.buf = append(w.buf, '-') // "strip"
	}
	w.buf = append(w.buf, '\n')
	for {
		line, rest, more := bytes.Cut(s, []byte("\n"))
		if len(line) > 0 { // blank lines carry no indentation
			w.pad(cont)
			w.buf = append(w.buf, line...)
		}
		w.buf = append(w.buf, '\n')
		if !more {
			break
		}
		s = rest
	}
	return nil
}

// literalAllowed reports whether yaml.v2 writes s (with a "\n") as a
// literal block with "clip" or "strip" chomping: valid UTF-8, no trailing
// space, no space before a line break, only printable characters
// (is_printable in yamlprivateh.go: no tab, no control character, nothing
// past U+FFFD), no break but "\n", and not ending in two breaks.
func literalAllowed(s []byte) bool {
	last := len(s) - 1
	if !utf8.Valid(s) || s[last] == ' ' || s[last] == '\n' && (last == 0 || s[last-1] == '\n') {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n':
			if i > 0 && s[i-1] == ' ' {
				return false
			}
		case c < 0x20 || c == 0x7f:
			return false
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(s[i:])
			if !literalRune(r) {
				return false
			}
			i += n
			continue
		}
		i++
	}
	return true
}

// literalRune reports whether a non-ASCII rune is printable for yaml.v2
// and not a line break (NEL, LS, PS).
func literalRune(r rune) bool {
	switch {
	case r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff:
		return false
	case r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd:
		return true
	}
	return false
}
