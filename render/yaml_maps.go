package render

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v2"
)

// The writer for the cleaned map[string]any of an object, as berth wrote
// every object before yaml_tree.go: the fallback for the objects the tree
// writer gives up on (keys with escapes, duplicate keys, strings it
// cannot write), so they still come out as they always did.

// mapYAML decodes an object's JSON into a map with json.Number, cleans
// it, converts the numbers, and writes it with the map writer or else
// yaml.v2.
func (w *yamlWriter) mapYAML(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	clean(m)
	yamlNumbers(m)
	if out, err := w.object(m); err == nil {
		return out, nil
	}
	return yaml.Marshal(m)
}

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
		w.fold([]byte(s), col, cont, false)
	case quoted:
		w.buf = append(w.buf, '\'')
		w.fold([]byte(s), col+1, cont, true)
		w.buf = append(w.buf, '\'')
	default:
		return false
	}
	return true
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

// scalar is how yaml.v2 writes s on one line.
func (w *yamlWriter) scalar(s string) (string, bool) {
	if text, ok := w.mapScalars[s]; ok {
		return text, text != ""
	}
	text := ""
	// invalid UTF-8 (never in JSON output) becomes !!binary: left to yaml.v2
	if !strings.ContainsAny(s, "\n\r") && utf8.ValidString(s) {
		text = oneLine(s)
	}
	if w.mapScalars == nil {
		w.mapScalars = map[string]string{}
	}
	w.mapScalars[s] = text
	return text, text != ""
}
