package render

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v2"
)

// A direct YAML writer for the cleaned JSON maps of objects, writing what
// yaml.v2 writes for them five times faster. It handles the common shapes
// itself (block mappings and sequences, ints, floats, bools, nulls and
// one-line strings), asks yaml.v2 once per distinct string how it writes
// it, and gives up (errEmitFallback) on anything where yaml.v2's output
// depends on more than that: multi-line strings (literal blocks), strings
// with blanks that could be folded at column 80, keys too long to be
// simple keys. The caller then lets yaml.v2 write the whole object.

var errEmitFallback = errors.New("render: object needs yaml.v2")

const (
	yamlWidth      = 80  // yaml.v2's best_width: plain and quoted scalars fold at blanks past it
	simpleKeyLimit = 100 // yaml.v2 writes keys over 128 characters as complex keys
)

type yamlWriter struct {
	buf []byte
	// scalars caches how yaml.v2 writes a string on one line ("" when it
	// does not), shared by every object of a stream.
	scalars map[string]string
}

func newYAMLWriter() *yamlWriter { return &yamlWriter{scalars: map[string]string{}} }

// object writes one top-level mapping and returns its YAML, or
// errEmitFallback.
func (w *yamlWriter) object(m map[string]any) ([]byte, error) {
	w.buf = w.buf[:0]
	if len(m) == 0 {
		return []byte("{}\n"), nil
	}
	if err := w.mapping(m, 0, false); err != nil {
		return nil, err
	}
	return append([]byte(nil), w.buf...), nil
}

func (w *yamlWriter) mapping(m map[string]any, indent int, inline bool) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	for i, k := range keys {
		if i > 0 || !inline {
			w.pad(indent)
		}
		key, ok := w.scalar(k)
		if !ok || len(key) > simpleKeyLimit {
			return errEmitFallback
		}
		w.buf = append(w.buf, key...)
		w.buf = append(w.buf, ':')
		if err := w.value(m[k], indent, indent+len(key)+2, false); err != nil {
			return err
		}
	}
	return nil
}

func (w *yamlWriter) sequence(s []any, indent int, inline bool) error {
	for i, item := range s {
		if i > 0 || !inline {
			w.pad(indent)
		}
		w.buf = append(w.buf, '-')
		if err := w.value(item, indent+2, indent+2, true); err != nil {
			return err
		}
	}
	return nil
}

// value writes v after "key:" or "-": nested collections on the next lines
// (a sequence under a key at the key's own indent, as yaml.v2 does), or a
// blank and the scalar, which starts at column col.
func (w *yamlWriter) value(v any, indent, col int, inSeq bool) error {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			w.buf = append(w.buf, " {}\n"...)
			return nil
		}
		if inSeq {
			w.buf = append(w.buf, ' ')
			return w.mapping(t, indent, true)
		}
		w.buf = append(w.buf, '\n')
		return w.mapping(t, indent+2, false)
	case []any:
		if len(t) == 0 {
			w.buf = append(w.buf, " []\n"...)
			return nil
		}
		if inSeq {
			w.buf = append(w.buf, ' ')
			return w.sequence(t, indent, true)
		}
		w.buf = append(w.buf, '\n')
		return w.sequence(t, indent, false)
	}
	text, ok := w.leaf(v)
	if !ok {
		return errEmitFallback
	}
	w.buf = append(w.buf, ' ')
	if col+len(text) > yamlWidth-2 && strings.ContainsAny(text, " \t") {
		// continuation lines start two columns right of the key or dash
		cont := indent + 2
		if inSeq {
			cont = indent
		}
		if !w.folded(v, text, col, cont) {
			return errEmitFallback
		}
	} else {
		w.buf = append(w.buf, text...)
	}
	w.buf = append(w.buf, '\n')
	return nil
}

// folded writes a plain or single-quoted string that may pass column 80,
// breaking it at blanks exactly where yaml.v2 does
// (yaml_emitter_write_plain_scalar and ..._single_quoted_scalar in
// emitterc.go): at a blank, not followed by another, once the column is
// past 80. Other styles (double quotes) are left to yaml.v2.
func (w *yamlWriter) folded(v any, text string, col, cont int) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	quoted := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	switch text {
	case s:
		w.fold(s, col, cont, false)
	case quoted:
		w.buf = append(w.buf, '\'')
		w.fold(s, col+1, cont, true)
		w.buf = append(w.buf, '\'')
	default:
		return false
	}
	return true
}

func (w *yamlWriter) fold(s string, col, cont int, single bool) {
	r := []rune(s)
	spaces := false
	for i, c := range r {
		if c == ' ' {
			inner := !single || (i > 0 && i < len(r)-1)
			if inner && !spaces && col > yamlWidth && i+1 < len(r) && r[i+1] != ' ' {
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
		w.buf = utf8.AppendRune(w.buf, c)
		col++
		spaces = false
	}
}

func (w *yamlWriter) leaf(v any) (string, bool) {
	switch t := v.(type) {
	case nil:
		return "null", true
	case bool:
		return strconv.FormatBool(t), true
	case int64:
		return strconv.FormatInt(t, 10), true
	case float64:
		return yamlFloat(t), true
	case string:
		return w.scalar(t)
	}
	return "", false
}

// scalar is how yaml.v2 writes s on one line, asked once per string.
func (w *yamlWriter) scalar(s string) (string, bool) {
	if text, ok := w.scalars[s]; ok {
		return text, text != ""
	}
	text := ""
	// invalid UTF-8 (never in JSON output) becomes !!binary: left to yaml.v2
	if !strings.ContainsAny(s, "\n\r") && utf8.ValidString(s) {
		text = oneLine(s)
	}
	w.scalars[s] = text
	return text, text != ""
}

// oneLine is s as yaml.v2 writes it before folding: its style (plain,
// single or double quotes) does not depend on the column, so a string it
// folds (being long) still shows its style in its first character; only
// double-quoted folded strings are not rebuilt ("").
func oneLine(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil || len(out) == 0 {
		return ""
	}
	text := strings.TrimSuffix(string(out), "\n")
	if !strings.Contains(text, "\n") {
		return text
	}
	switch out[0] {
	case '"', '|', '>':
		return ""
	case '\'':
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return s
}

func (w *yamlWriter) pad(n int) {
	for range n {
		w.buf = append(w.buf, ' ')
	}
}

// yamlFloat formats a float64 as yaml.v2's floatv does.
func yamlFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	switch s {
	case "+Inf":
		return ".inf"
	case "-Inf":
		return "-.inf"
	case "NaN":
		return ".nan"
	}
	return s
}

// keyLess orders string keys as yaml.v2 does (keyList.Less in
// go.yaml.in/yaml/v2 sorter.go, Apache License 2.0): letters before
// other characters, runs of digits by their number.
func keyLess(a, b string) bool {
	ar, br := []rune(a), []rune(b)
	for i := 0; i < len(ar) && i < len(br); i++ {
		if ar[i] == br[i] {
			continue
		}
		al, bl := unicode.IsLetter(ar[i]), unicode.IsLetter(br[i])
		if al && bl {
			return ar[i] < br[i]
		}
		if al || bl {
			return bl
		}
		var ai, bi int
		var an, bn int64
		if ar[i] == '0' || br[i] == '0' {
			for j := i - 1; j >= 0 && unicode.IsDigit(ar[j]); j-- {
				if ar[j] != '0' {
					an, bn = 1, 1
					break
				}
			}
		}
		for ai = i; ai < len(ar) && unicode.IsDigit(ar[ai]); ai++ {
			an = an*10 + int64(ar[ai]-'0')
		}
		for bi = i; bi < len(br) && unicode.IsDigit(br[bi]); bi++ {
			bn = bn*10 + int64(br[bi]-'0')
		}
		if an != bn {
			return an < bn
		}
		if ai != bi {
			return ai < bi
		}
		return ar[i] < br[i]
	}
	return len(ar) < len(br)
}
