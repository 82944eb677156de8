package fastyaml

import (
	"strconv"
	"strings"
	"time"
)

// resolvePlain gives the tag yaml.v4 resolves a plain scalar to, and the
// Value to store. It follows the order of yaml.v4's resolve (in
// internal/libyaml/resolver.go): a table of special words, then for text
// starting with '.' a float, and for text starting with a digit or a sign a
// timestamp, an int (any base, "_" removed), an unsigned int, a YAML-style
// float. Numbers not written in plain decimal get Value in a form strconv
// parses to the same number ("0440" gives "288", "1e3" gives "1000"). ok
// is false for what this package does not represent: timestamps, NaN,
// infinities and ints beyond int64. "<<" gives mergeKey, which only a
// mapping key may be.
func resolvePlain(s string) (tag Tag, value string, ok bool) {
	if s == "" {
		return Null, s, true
	}
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return Bool, s, true
	case "~", "null", "Null", "NULL":
		return Null, s, true
	case "-0", "-0.0":
		return Float, "-0", true
	case "<<":
		return mergeKey, s, true
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
		"+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return 0, "", false
	}
	switch c := s[0]; {
	case c == '.':
		// yaml.v4 tries strconv.ParseFloat on these (".5", "./app", ...);
		// numberChars spares paths the error it would allocate.
		if !numberChars(s) {
			return Str, s, true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return Float, formatFloat(s, f), true
		}
		return Str, s, true
	case c == '+' || c == '-' || (c >= '0' && c <= '9'):
		return resolveNumberLike(s)
	}
	return Str, s, true
}

// resolveNumberLike handles the plain scalars that start with a digit or a
// sign, for which yaml.v4 tries timestamps and numbers.
func resolveNumberLike(s string) (Tag, string, bool) {
	if isTimestamp(s) {
		return 0, "", false
	}
	if !numberChars(s) {
		// No int, uint or float parser accepts such text: it is a string.
		return Str, s, true
	}
	plain := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
		if int64(int(i)) != i {
			return 0, "", false // yaml.v4 gives an int64 on 32-bit machines
		}
		if isDecimalInt(s) {
			return Int, s, true
		}
		return Int, strconv.FormatInt(i, 10), true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return 0, "", false // a uint64
	}
	if yamlStyleFloat(plain) {
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			return Float, formatFloat(s, f), true
		}
		// Out of range: yaml.v4 keeps the text as a string.
	}
	return Str, s, true
}

// formatFloat gives the Value of a float written s: s itself when it is
// plain decimal, else Go's shortest form, which strconv.ParseFloat turns
// back into f exactly.
func formatFloat(s string, f float64) string {
	if isDecimalFloat(s) {
		return s
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// numberChars reports whether s has only characters that can occur in
// something strconv.ParseInt (base 0), ParseUint or ParseFloat accepts.
// Checking this first keeps the common "10s", "8080:80" or "256M" away
// from those parsers and the errors they allocate.
func numberChars(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		case c == 'x', c == 'X', c == 'o', c == 'O', c == 'p', c == 'P':
		case c == '_', c == '+', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}

// isTimestamp is yaml.v4's parseTimestamp: the formats it tries, after the
// same quick check that the text starts with four digits and a dash.
func isTimestamp(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range timestampFormats {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}

var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// yamlStyleFloat matches yaml.v4's regular expression
// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ without its cost.
func yamlStyleFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	intDigits := countDigits(s[i:])
	i += intDigits
	if i < len(s) && s[i] == '.' {
		i++
		fracDigits := countDigits(s[i:])
		if intDigits == 0 && fracDigits == 0 {
			return false
		}
		i += fracDigits
	} else if intDigits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		expDigits := countDigits(s[i:])
		if expDigits == 0 {
			return false
		}
		i += expDigits
	}
	return i == len(s)
}

func countDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// isDecimalInt reports whether s is written -?(0|[1-9][0-9]*).
func isDecimalInt(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	n := countDigits(s)
	return n == len(s) && n > 0 && (s[0] != '0' || n == 1)
}

// isDecimalFloat reports whether s is written -?[0-9]+\.[0-9]+.
func isDecimalFloat(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	n := countDigits(s)
	if n == 0 || n == len(s) || s[n] != '.' {
		return false
	}
	frac := s[n+1:]
	return frac != "" && countDigits(frac) == len(frac)
}
