package fastyaml

import "unicode/utf8"

// plainASCII marks the ASCII bytes that may appear anywhere in an accepted
// input. Tabs and carriage returns are left out: yaml.v4 has subtle rules
// for tabs in indentation and treats "\r" as a line break, and compose
// files rarely contain either.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	t['\n'] = true
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	return t
}()

// charsetOK reports whether data is valid UTF-8 made only of characters
// that yaml.v4 reads as ordinary text. It leaves out the characters yaml.v4
// rejects (controls, invalid UTF-8) and those it gives a meaning of its
// own: the byte order mark, NEL, LS and PS (line breaks for yaml.v4) and
// the C1 block, which YAML 1.1 does not allow.
func charsetOK(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if !plainASCII[c] {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if !ordinaryRune(r) {
			return false
		}
		i += size
	}
	return true
}

func ordinaryRune(r rune) bool {
	switch {
	case r == utf8.RuneError, r < 0xa0, r == 0x2028, r == 0x2029:
		return false
	case r == 0xfeff, r == 0xfffe, r == 0xffff:
		return false
	}
	return true
}
