package render

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
)

// Writing YAML straight from the JSON tree of an object (yaml_json.go):
// the same output the map writer gave for the cleaned, number-converted
// map, without building the map. Members clean drops are skipped, keys are
// sorted as yaml.v2 sorts them; any shape the writer does not know gives
// errEmitFallback, and the caller lets the map writer (yaml_maps.go) or
// yaml.v2 write the whole object.

// treeObject writes the object at the root of w.tree into w.buf.
func (w *yamlWriter) treeObject() error {
	w.buf = w.buf[:0]
	w.keys = w.keys[:0]
	if len(w.tree.nodes) == 0 || w.tree.nodes[0].kind != '{' {
		return errEmitFallback
	}
	start, end, err := w.members(0)
	if err != nil {
		return err
	}
	if start == end {
		w.buf = append(w.buf, "{}\n"...)
		return nil
	}
	return w.treeMapping(start, end, 0, false)
}

// members appends the members of object i that clean keeps to w.keys,
// sorted, and returns their range there; the caller truncates w.keys back
// to start when done with them.
func (w *yamlWriter) members(i int32) (int, int, error) {
	nodes := w.tree.nodes
	start := len(w.keys)
	for c := i + 1; c < nodes[i].end; c = nodes[c].end {
		if nodes[c].keyEsc {
			return 0, 0, errEmitFallback // unusual keys: not worth unquoting
		}
		w.keys = append(w.keys, c)
	}
	w.sorter = keySorter{w: w, keys: w.keys[start:]}
	sort.Sort(&w.sorter)
	end := start
	for j := start; j < len(w.keys); j++ {
		if j > start && bytes.Equal(w.key(w.keys[j-1]), w.key(w.keys[j])) {
			// the map keeps the last value, and clean looks at that one
			return 0, 0, errEmitFallback
		}
		if !w.cleaned(&nodes[w.keys[j]]) {
			w.keys[end] = w.keys[j]
			end++
		}
	}
	w.keys = w.keys[:end]
	return start, end, nil
}

// cleaned reports whether clean removes member n: a null
// creationTimestamp, any status object, an empty spec or resources.
func (w *yamlWriter) cleaned(n *jsonNode) bool {
	return cleanedMember(w.tree.data[n.key[0]:n.key[1]], n.kind, int(n.count))
}

// cleanedMember reports whether clean removes the member key whose value
// is JSON of kind (a jsonNode kind) with count members or items.
func cleanedMember(key []byte, kind byte, count int) bool {
	switch string(key) {
	case "creationTimestamp":
		return kind == 'n'
	case "status":
		return kind == '{'
	case "spec", "resources":
		return kind == '{' && count == 0
	}
	return false
}

// cleanableKey reports whether clean may remove a member named key.
func cleanableKey(key string) bool {
	switch key {
	case "creationTimestamp", "status", "spec", "resources":
		return true
	}
	return false
}

func (w *yamlWriter) key(i int32) []byte {
	n := &w.tree.nodes[i]
	return w.tree.data[n.key[0]:n.key[1]]
}

type keySorter struct {
	w    *yamlWriter
	keys []int32
}

func (s *keySorter) Len() int           { return len(s.keys) }
func (s *keySorter) Swap(i, j int)      { s.keys[i], s.keys[j] = s.keys[j], s.keys[i] }
func (s *keySorter) Less(i, j int) bool { return keyLessBytes(s.w.key(s.keys[i]), s.w.key(s.keys[j])) }

func (w *yamlWriter) treeMapping(start, end, indent int, inline bool) error {
	for j := start; j < end; j++ {
		if j > start || !inline {
			w.pad(indent)
		}
		c := w.keys[j]
		k := w.key(c)
		st, text := w.styleOf(k)
		n := scalarLen(k, st, text)
		if st == styleNone || n > simpleKeyLimit {
			return errEmitFallback
		}
		w.appendScalar(k, st, text)
		w.buf = append(w.buf, ':')
		if err := w.treeValue(c, indent, indent+n+2, false); err != nil {
			return err
		}
	}
	return nil
}

func (w *yamlWriter) treeSequence(i int32, indent int, inline bool) error {
	nodes := w.tree.nodes
	for c := i + 1; c < nodes[i].end; c = nodes[c].end {
		if c > i+1 || !inline {
			w.pad(indent)
		}
		w.buf = append(w.buf, '-')
		if err := w.treeValue(c, indent+2, indent+2, true); err != nil {
			return err
		}
	}
	return nil
}

// treeValue writes node i after "key:" or "-": nested collections on the
// next lines (a sequence under a key at the key's own indent, as yaml.v2
// does), or a blank and the scalar, which starts at column col.
func (w *yamlWriter) treeValue(i int32, indent, col int, inSeq bool) error {
	n := &w.tree.nodes[i]
	switch n.kind {
	case '{':
		return w.treeNested(i, indent, inSeq)
	case '[':
		if n.count == 0 {
			w.buf = append(w.buf, " []\n"...)
			return nil
		}
		if inSeq {
			w.buf = append(w.buf, ' ')
			return w.treeSequence(i, indent, true)
		}
		w.buf = append(w.buf, '\n')
		return w.treeSequence(i, indent, false)
	case 'n':
		w.buf = append(w.buf, " null\n"...)
	case 't':
		w.buf = append(w.buf, " true\n"...)
	case 'f':
		w.buf = append(w.buf, " false\n"...)
	case '0':
		return w.treeNumber(w.tree.data[n.val[0]:n.val[1]], indent, col, inSeq)
	default:
		s := w.tree.data[n.val[0]:n.val[1]]
		if n.esc {
			var ok bool
			if w.str, ok = unquote(w.str[:0], s); !ok {
				return errEmitFallback
			}
			s = w.str
		}
		return w.treeString(s, indent, col, inSeq)
	}
	return nil
}

func (w *yamlWriter) treeNested(i int32, indent int, inSeq bool) error {
	start, end, err := w.members(i)
	if err != nil {
		return err
	}
	defer func() { w.keys = w.keys[:start] }()
	switch {
	case start == end:
		w.buf = append(w.buf, " {}\n"...)
		return nil
	case inSeq:
		w.buf = append(w.buf, ' ')
		return w.treeMapping(start, end, indent, true)
	}
	w.buf = append(w.buf, '\n')
	return w.treeMapping(start, end, indent+2, false)
}

// treeNumber writes a JSON number as the int64 or float64 yaml.v2 reads
// from it (yamlNumbers); a number neither holds stays a string.
func (w *yamlWriter) treeNumber(b []byte, indent, col int, inSeq bool) error {
	w.buf = append(w.buf, ' ')
	if shortInt(b) {
		// JSON has no leading zeros, so the text is the int's but for -0
		if len(b) == 2 && b[0] == '-' && b[1] == '0' {
			b = b[1:]
		}
		w.buf = append(w.buf, b...)
		w.buf = append(w.buf, '\n')
		return nil
	}
	s := string(b)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		w.buf = strconv.AppendInt(w.buf, i, 10)
	} else if f, err := strconv.ParseFloat(s, 64); err == nil {
		w.buf = append(w.buf, yamlFloat(f)...)
	} else {
		w.buf = w.buf[:len(w.buf)-1]
		return w.treeString(b, indent, col, inSeq)
	}
	w.buf = append(w.buf, '\n')
	return nil
}

// shortInt reports whether b is -?[0-9]{1,18}, always an int64.
func shortInt(b []byte) bool {
	digits := b
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return false
	}
	for _, c := range digits {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// blanks reports whether s, written in style st, holds a space or tab:
// only then can a long string be folded.
func blanks(s []byte, st scalarStyle, text string) bool {
	if st == styleText {
		return strings.ContainsAny(text, " \t")
	}
	return bytes.ContainsAny(s, " \t")
}

func (w *yamlWriter) treeString(s []byte, indent, col int, inSeq bool) error {
	// continuation lines start two columns right of the key or dash
	cont := indent + 2
	if inSeq {
		cont = indent
	}
	// a string quickStyle knows is printable ASCII: no line breaks
	st, text := quickStyle(s), ""
	if st == styleNone {
		if bytes.IndexByte(s, '\n') >= 0 {
			return w.literal(s, cont)
		}
		if st, text = w.askedStyle(s); st == styleNone {
			return errEmitFallback
		}
	}
	w.buf = append(w.buf, ' ')
	if col+scalarLen(s, st, text) > yamlWidth-2 && blanks(s, st, text) {
		switch st {
		case stylePlain:
			w.fold(s, col, cont, false)
		case styleSingle:
			w.buf = append(w.buf, '\'')
			w.fold(s, col+1, cont, true)
			w.buf = append(w.buf, '\'')
		default:
			return errEmitFallback
		}
	} else {
		w.appendScalar(s, st, text)
	}
	w.buf = append(w.buf, '\n')
	return nil
}
