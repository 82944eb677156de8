package fastyaml

import (
	"encoding/binary"
	"unicode/utf8"
)

// charsetOK reports whether data is valid UTF-8 made only of characters
// that yaml.v4 reads as ordinary text: printable ASCII, line feeds, and
// non-ASCII characters from U+00A0 on except the byte order mark, LS and
// PS (line breaks for yaml.v4) and non-characters. Tabs and carriage
// returns are left out too: yaml.v4 has subtle rules for tabs in
// indentation and treats "\r" as a line break, and compose files rarely
// contain either.
func charsetOK(data []byte) bool {
	i := 0
	for i+8 <= len(data) {
		if wordIsPlainASCII(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
			continue
		}
		end := i + 8
		for i < end {
			n := checkChar(data[i:])
			if n == 0 {
				return false
			}
			i += n
		}
	}
	for i < len(data) {
		n := checkChar(data[i:])
		if n == 0 {
			return false
		}
		i += n
	}
	return true
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// wordIsPlainASCII reports whether the 8 bytes of w are all printable ASCII
// or '\n', the common case, checked a word at a time.
func wordIsPlainASCII(w uint64) bool {
	if w&highs != 0 {
		return false
	}
	// With high bits clear, adding 0x60 to a byte sets its high bit
	// exactly when the byte is at least 0x20, and never carries over.
	controls := ^((w & (highs - lows)) + 0x60*lows) & highs
	return (controls&^zeroBytes(w^'\n'*lows))|zeroBytes(w^0x7f*lows) == 0
}

// zeroBytes has the high bit set in each byte of w that is zero, exactly
// (the classic haszero trick can flag a 0x01 after a zero byte; this one
// does not).
func zeroBytes(w uint64) uint64 {
	return ^(((w & (highs - lows)) + (highs - lows)) | w) & highs
}

// checkChar returns the length of the allowed character at the start of b,
// or 0 if it is not allowed.
func checkChar(b []byte) int {
	if c := b[0]; c < utf8.RuneSelf {
		if c == '\n' || (c >= 0x20 && c < 0x7f) {
			return 1
		}
		return 0
	}
	r, size := utf8.DecodeRune(b)
	switch {
	case r == utf8.RuneError, r < 0xa0, r == 0x2028, r == 0x2029:
		return 0
	case r == 0xfeff, r == 0xfffe, r == 0xffff:
		return 0
	}
	return size
}
