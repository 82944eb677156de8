package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	yaml "go.yaml.in/yaml/v2"
)

// A direct YAML writer for objects, writing what yaml.v2 writes for their
// cleaned JSON maps: from the JSON tree (yaml_tree.go), or from the map
// (yaml_maps.go) for what the tree writer gives up on. Both handle the
// common shapes themselves (block mappings and sequences, ints, floats,
// bools, nulls and one-line strings; the tree writer literal blocks too),
// ask yaml.v2 how it writes the strings quickStyle does not know, and give
// up (errEmitFallback) on anything where yaml.v2's output depends on more
// than that: double-quoted strings that could be folded at column 80 or
// span lines, keys too long to be simple keys, and (the map writer)
// multi-line strings. yaml.v2 then writes the whole object.

var errEmitFallback = errors.New("render: object needs yaml.v2")

const (
	yamlWidth      = 80  // yaml.v2's best_width: plain and quoted scalars fold at blanks past it
	simpleKeyLimit = 100 // yaml.v2 writes keys over 128 characters as complex keys
)

// A yamlWriter renders objects one after the other, reusing its buffers;
// it is not safe for concurrent use.
type yamlWriter struct {
	buf []byte // the YAML of the last object
	// scalars caches what oneLine gives for the strings quickStyle does
	// not know, shared by every object of a stream.
	scalars map[string]cachedScalar
	// mapScalars is the same for the map writer (yaml_maps.go).
	mapScalars map[string]string

	js     bytes.Buffer // the JSON of the object
	enc    *json.Encoder
	tree   jsonTree
	keys   []int32 // sorted members of the mappings being written, a stack
	sorter keySorter
	str    []byte // an unquoted string

	// the typed writer's (yaml_typed.go)
	mstack  []member // members of the mappings being written, a stack
	msorter memberSorter
	iter    reflect.MapIter
	sub     jsonTree // a value's own JSON (MarshalJSON), or the tree set aside for it
	num     []byte   // a number's or a []byte's text
	depth   int
}

func newYAMLWriter() *yamlWriter {
	w := &yamlWriter{scalars: map[string]cachedScalar{}}
	w.enc = json.NewEncoder(&w.js)
	return w
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
	for n > len(blankLine) {
		w.buf = append(w.buf, blankLine...)
		n -= len(blankLine)
	}
	w.buf = append(w.buf, blankLine[:n]...)
}

const blankLine = "                                                                "

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
