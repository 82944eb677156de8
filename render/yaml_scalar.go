package render

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// How yaml.v2 writes a string on one line. Most strings of an object are
// printable ASCII; for most of them quickStyle reproduces yaml.v2's choice
// (encode.go stringv, emitterc.go yaml_emitter_analyze_scalar and
// ..._select_scalar_style) without asking it. The rest go to oneLine,
// once per distinct string.

type scalarStyle uint8

const (
	styleNone   scalarStyle = iota // not on one line, or not known
	stylePlain                     // s
	styleSingle                    // 's' with ' doubled
	styleDouble                    // "s", for words without escapes only
	styleText                      // the text oneLine gave
)

// quickStyle is yaml.v2's style for s, or styleNone when s is not
// printable ASCII, or might be read back as an int, a float, a timestamp
// or a base-60 float: only yaml.v2's resolver (resolve.go) tells those.
func quickStyle(s []byte) scalarStyle {
	if len(s) == 0 {
		return styleNone
	}
	var seen uint8
	for _, c := range s {
		seen |= byteClasses[c]
	}
	if seen&classOther != 0 {
		return styleNone
	}
	if resolveWord(s) {
		return styleDouble // it would read back as a bool, null or float
	}
	if c := s[0]; isDigit(c) || c == '+' || c == '-' || c == '.' {
		if decimal(s) {
			return styleDouble // an int or a float
		}
		if !notANumber(s) {
			return styleNone
		}
	}
	if blockPlain(s, seen&classIndicator != 0) {
		return stylePlain
	}
	return styleSingle
}

// Classes of bytes, so quickStyle reads a string once to learn whether it
// is printable ASCII and holds any ':' or '#' blockPlain must look at.
const (
	classOther     = 1 << iota // not printable ASCII: yaml.v2 decides
	classIndicator             // ':' or '#'
)

var byteClasses = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c < 0x20 || c > 0x7e:
			t[c] = classOther
		case c == ':' || c == '#':
			t[c] = classIndicator
		}
	}
	return t
}()

// resolveWord reports whether s is a word of yaml.v2's resolveMap (bools,
// nulls, infinities and NaN; "<<" resolves only after a map lookup its
// first character does not get).
func resolveWord(s []byte) bool {
	switch string(s) {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
		"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
		"~", "null", "Null", "NULL",
		".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return true
	}
	return false
}

// decimal reports whether s is [0-9]{1,15} or [0-9]{1,15}.[0-9]{1,15}
// (ports, counts, versions in env values), which yaml.v2 always reads as
// an int or a float: octal or not, short enough for either.
func decimal(s []byte) bool {
	dot := -1
	for i, c := range s {
		switch {
		case c == '.' && dot < 0:
			dot = i
		case !isDigit(c):
			return false
		}
	}
	if dot < 0 {
		return len(s) <= 15
	}
	whole, frac := dot, len(s)-dot-1
	return whole >= 1 && whole <= 15 && frac >= 1 && frac <= 15
}

// notANumber reports whether s holds a byte no int (in any base, with
// underscores), float, timestamp or base-60 float yaml.v2 reads can hold,
// such as the "i" of "256Mi" or the "=" of "--port=80".
func notANumber(s []byte) bool {
	for _, c := range s {
		if !isDigit(c) && strings.IndexByte("abcdefABCDEFxXoOtTzZ+-._: ", c) < 0 {
			return true
		}
	}
	return false
}

// blockPlain reports whether a printable ASCII string may be a plain
// scalar in block context: no leading or trailing space, no "---" or
// "..." first, no indicator first, no ": " and no " #" (looked for only
// if s has indicators, a ':' or '#').
func blockPlain(s []byte, indicators bool) bool {
	last := len(s) - 1
	if s[0] == ' ' || s[last] == ' ' {
		return false
	}
	if bytes.HasPrefix(s, []byte("---")) || bytes.HasPrefix(s, []byte("...")) {
		return false
	}
	followedByBlank := func(i int) bool { return i == last || s[i+1] == ' ' }
	switch s[0] {
	case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	case '?', ':', '-':
		if followedByBlank(0) {
			return false
		}
	}
	for i := 1; indicators && i <= last; i++ {
		switch s[i] {
		case ':':
			if followedByBlank(i) {
				return false
			}
		case '#':
			if s[i-1] == ' ' {
				return false
			}
		}
	}
	return true
}

// A cachedScalar is what oneLine gave for a string, sorted by style.
type cachedScalar struct {
	style scalarStyle
	text  string
}

// styleOf is how yaml.v2 writes s on one line; text is set for styleText.
func (w *yamlWriter) styleOf(s []byte) (scalarStyle, string) {
	if st := quickStyle(s); st != styleNone {
		return st, ""
	}
	return w.askedStyle(s)
}

// askedStyle is styleOf for the strings quickStyle does not know: what
// yaml.v2 writes, asked once per string.
func (w *yamlWriter) askedStyle(s []byte) (scalarStyle, string) {
	if c, ok := w.scalars[string(s)]; ok {
		return c.style, c.text
	}
	c := cachedScalar{}
	// invalid UTF-8 (never in JSON output) becomes !!binary: left to yaml.v2
	if !bytes.ContainsAny(s, "\n\r") && utf8.Valid(s) {
		c.text = oneLine(string(s))
		switch {
		case c.text == "":
		case c.text == string(s):
			c = cachedScalar{style: stylePlain}
		case c.text == "'"+strings.ReplaceAll(string(s), "'", "''")+"'":
			c = cachedScalar{style: styleSingle}
		default:
			c.style = styleText
		}
	}
	w.scalars[string(s)] = c
	return c.style, c.text
}

// scalarLen is the length of s written in style st.
func scalarLen(s []byte, st scalarStyle, text string) int {
	switch st {
	case stylePlain:
		return len(s)
	case styleSingle:
		return len(s) + 2 + bytes.Count(s, []byte("'"))
	case styleDouble:
		return len(s) + 2
	}
	return len(text)
}

// appendScalar writes s in style st on one line.
func (w *yamlWriter) appendScalar(s []byte, st scalarStyle, text string) {
	switch st {
	case stylePlain:
		w.buf = append(w.buf, s...)
	case styleSingle:
		w.buf = append(w.buf, '\'')
		w.appendSingle(s)
		w.buf = append(w.buf, '\'')
	case styleDouble:
		w.buf = append(w.buf, '"')
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, '"')
	default:
		w.buf = append(w.buf, text...)
	}
}

func (w *yamlWriter) appendSingle(s []byte) {
	for {
		i := bytes.IndexByte(s, '\'')
		if i < 0 {
			w.buf = append(w.buf, s...)
			return
		}
		w.buf = append(w.buf, s[:i+1]...)
		w.buf = append(w.buf, '\'')
		s = s[i+1:]
	}
}

// fold writes a plain or single-quoted string that passes column 80,
// breaking it at blanks exactly where yaml.v2 does
// (yaml_emitter_write_plain_scalar and ..._single_quoted_scalar in
// emitterc.go): at a blank, not followed by another, once the column is
// past 80. Columns count runes; a blank is one byte, so the byte tests
// for "first", "last" and "next" rune are the rune ones.
func (w *yamlWriter) fold(s []byte, col, cont int, single bool) {
	spaces := false
	for i, c := range s {
		if c == ' ' {
			inner := !single || (i > 0 && i < len(s)-1)
			if inner && !spaces && col > yamlWidth && i+1 < len(s) && s[i+1] != ' ' {
				w.buf = append(w.buf, '\n')
				w.pad(cont)
				col = cont
			} else {
				w.buf = append(w.buf, ' ')
				col++
			}
			spaces = true
			continue
		}
		if single && c == '\'' {
			w.buf = append(w.buf, '\'')
			col++
		}
		w.buf = append(w.buf, c)
		if c&0xc0 != 0x80 { // not a UTF-8 continuation byte
			col++
		}
		spaces = false
	}
}

// keyLessBytes is keyLess without its rune conversions when both keys
// are ASCII, where letters and digits are the ASCII ones.
func keyLessBytes(a, b []byte) bool {
	if !isASCII(a) || !isASCII(b) {
		return keyLess(string(a), string(b))
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		al, bl := isLetter(a[i]), isLetter(b[i])
		if al && bl {
			return a[i] < b[i]
		}
		if al || bl {
			return bl
		}
		return digitsLess(a, b, i)
	}
	return len(a) < len(b)
}

// digitsLess orders a and b, which first differ at i in a non-letter, by
// the runs of digits there, as keyList.Less does.
func digitsLess(a, b []byte, i int) bool {
	var ai, bi int
	var an, bn int64
	if a[i] == '0' || b[i] == '0' {
		for j := i - 1; j >= 0 && isDigit(a[j]); j-- {
			if a[j] != '0' {
				an, bn = 1, 1
				break
			}
		}
	}
	for ai = i; ai < len(a) && isDigit(a[ai]); ai++ {
		an = an*10 + int64(a[ai]-'0')
	}
	for bi = i; bi < len(b) && isDigit(b[bi]); bi++ {
		bn = bn*10 + int64(b[bi]-'0')
	}
	if an != bn {
		return an < bn
	}
	if ai != bi {
		return ai < bi
	}
	return a[i] < b[i]
}

func isASCII(s []byte) bool {
	for _, c := range s {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
