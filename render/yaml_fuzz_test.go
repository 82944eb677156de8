package render

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// treeFromJSON is the new path on JSON bytes.
func treeFromJSON(data []byte) ([]byte, error) {
	w := newYAMLWriter()
	if w.tree.parse(data) == nil && w.treeObject() == nil {
		return bytes.Clone(w.buf), nil
	}
	return w.mapYAML(data)
}

// sameAsOldPath checks the tree writer against the map path on one JSON
// document (valid JSON only: encoding/json validates what it writes).
func sameAsOldPath(t *testing.T, data []byte) {
	t.Helper()
	if !json.Valid(data) {
		return
	}
	want, werr := oldFromJSON(data)
	got, gerr := treeFromJSON(data)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("errors differ for %s: tree %v, old %v", data, gerr, werr)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("tree writer differs from the map path for %s\n got:\n%s\nwant:\n%s", data, got, want)
	}
}

var awkwardStrings = []string{"", " ", "web", "true", "True", "yes", "on", "n", "~", "null", "NULL", "1e3", "0", "-0", "+1", ".5", ".inf", "0x1F",
	"0b101", "1_000", "12:30:45", "2006-01-02", "1:20", "x: y", "a:b", ": x", "?x", "? x", "- x", "-x", "--- x", "...", "#", "a #b", "a# b",
	"'", "''", "\"", "it's \"quoted\"", "a\tb", "a\nb", "a\r\nb", "line\n", " lead", "trail ", "é ü", "\u2028", "<&>", "\x00", "\x7f",
	"\ufeff", "%x", "@x", "`x", "{x}", "[x]", "!x", "&x", "*x", "|x", ">x", ",x", strings.Repeat("word ", 20), strings.Repeat("ab ", 40),
	"- " + strings.Repeat("it's  a ", 15), strings.Repeat("x", 75) + " y z", "a: " + strings.Repeat("é ", 50), strings.Repeat(" q", 45),
	strings.Repeat("k", 101), "<<", "=", "y\u00e9s", "256Mi", "100m", "--port=80", "-.inf", "+.Inf", ".NaN", "-", "- ", "---", "---x", "...x",
	"0x1g", "0x1F_0", "1e3x", "2006-01-02T15:04:05Z", "2006-1-2 15:4:5", "2006-01-02t15:04:05+01:00", "12:30", "1_0", "0o17", "-0b11", "+12.5e-3",
	"._", "1.27", "nginx:1.27", "8080", "09", "0123", "3.14159", "12.", "123456789012345", "1234567890123456", "1.2.3", "-x: y", "-?", "? ", ":x", "3000-4000", "1:2:3.5_", "0b2",
	"a\n\nb", "\nlead", " lead\nx", "x\n", "x\n\n", "\n", "\n\n", "a \nb", "a\n b", "a\n\n", "é\nü", "\U0001F600\nx", "a\u2028b\n", "a\u0085b\n",
	"a\tb\nc", "x\r\ny", "trail\n ", "#!/bin/sh\nset -e\n", "key: v\n- item\n", "\ufeff\nx", "a\n" + strings.Repeat("long line ", 20) + "\n"}

func TestTreeWriterMatchesOldPath(t *testing.T) {
	for _, s := range awkwardStrings {
		for _, doc := range fuzzDocs(s, s+"k", int64(len(s)), float64(len(s))/3) {
			sameAsOldPath(t, doc)
		}
	}
	for _, doc := range []string{`{}`, `null`, `[]`, `{"status":{"a":1}}`, `{"spec":{}}`, `{"spec":{"status":{}}}`, `{"a":{"creationTimestamp":null,"b":1}}`,
		`{"a":{"creationTimestamp":null}}`, `{"creationTimestamp":"x"}`, `{"status":"up"}`, `{"resources":{}, "x":[{}, [], {"spec":{}}]}`,
		`{"a":1,"a":2}`, `{"status":"x","status":{}}`, `{"status":{},"status":"x"}`, `{"a":{"creationTimestamp":"x","creationTimestamp":null}}`,
		`{"spec":{},"spec":{"a":1}}`, `{"spec":{"a":1},"spec":{}}`, `{"a\u0062":1}`, `{"n":[-0, 0, 1.0, 1e21, 1E400, -1e-400, 123456789012345678901, -9223372036854775808, 9223372036854775807, 0.1]}`,
		`{"k10":1,"k9":2,"k09":3,"K":4,"_":5,"1":6,"a-b":7,"a.b":8,"a0b":9,"é":10,"e":11}`, `{"s":"\ud800", "t":"\ud83d\ude00", "u":"\u00e9\n"}`,
		` { "a" : [ 1 , { "b" : "c" } ] } `, `{"a":[[[]]],"b":[[{"c":[]}]]}`} {
		sameAsOldPath(t, []byte(doc))
	}
}

// fuzzDocs puts a, b, n and x as keys and values of objects shaped like
// manifests: nested mappings and sequences, labels, args, numbers.
func fuzzDocs(a, b string, n int64, x float64) [][]byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = 0 // JSON has no NaN or infinities
	}
	var docs [][]byte
	for _, v := range []any{
		map[string]any{a: b, b: []any{a, n, x, map[string]any{a: []any{b}, "k": map[string]any{b: a}}},
			"nested": map[string]any{"deeper": map[string]any{"deepest": []any{map[string]any{a: b}}}, a: x}},
		map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": a, "labels": map[string]any{a: b, "app": a},
			"creationTimestamp": nil}, "data": map[string]any{a: b, "n": strconv.FormatInt(n, 10)}, "status": map[string]any{}},
		map[string]any{"spec": map[string]any{"containers": []any{map[string]any{"args": []any{a, b, a + " " + b}, "env": []any{map[string]any{"name": a, "value": b}},
			"ports": []any{map[string]any{"containerPort": n}}, "cpu": x}}}},
	} {
		data, err := json.Marshal(v)
		if err == nil {
			docs = append(docs, data)
		}
	}
	return docs
}

// FuzzTreeWriter: for any strings and numbers as keys and values of
// manifest-shaped objects, the tree writer writes what the map path
// writes, and the typed path through an unstructured object agrees too.
func FuzzTreeWriter(f *testing.F) {
	for _, s := range awkwardStrings {
		f.Add(s, s+"k", int64(len(s)), float64(len(s))/3)
	}
	f.Fuzz(func(t *testing.T, a, b string, n int64, x float64) {
		for _, doc := range fuzzDocs(a, b, n, x) {
			sameAsOldPath(t, doc)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		o := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
			"metadata": map[string]any{"name": "x", "annotations": map[string]any{a: b}}, "data": map[string]any{b: a, "n": n, "x": x}}}
		got, gerr := ObjectYAML(o)
		want, werr := oldObjectYAML(o)
		if (gerr == nil) != (werr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("ObjectYAML differs from the old path (%v, %v)\n got:\n%s\nwant:\n%s", gerr, werr, got, want)
		}
	})
}

// FuzzTreeWriterJSON: on any JSON document the tree writer never panics
// and, on valid JSON, writes what the map path writes.
func FuzzTreeWriterJSON(f *testing.F) {
	for _, s := range awkwardStrings {
		for _, doc := range fuzzDocs(s, "v", 1, 0.5) {
			f.Add(doc)
		}
	}
	f.Add([]byte(`{"a":[1,{"b":"c\u0026"}],"status":{},"spec":{}}`))
	f.Add([]byte(`{"a":"\ud800\u0041","b":1E+2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = treeFromJSON(data) // no panic on anything
		sameAsOldPath(t, data)
	})
}

// FuzzQuickStyle: whenever quickStyle knows a string's style, the text it
// writes is what yaml.v2 (oneLine) writes.
func FuzzQuickStyle(f *testing.F) {
	for _, s := range awkwardStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st := quickStyle([]byte(s))
		if st == styleNone {
			return
		}
		w := newYAMLWriter()
		w.appendScalar([]byte(s), st, "")
		if want := oneLine(s); string(w.buf) != want {
			t.Fatalf("%q: quick style %d writes %s, yaml.v2 %s", s, st, w.buf, want)
		}
		if len(w.buf) != scalarLen([]byte(s), st, "") {
			t.Fatalf("%q: scalarLen %d, written %d", s, scalarLen([]byte(s), st, ""), len(w.buf))
		}
	})
}

// FuzzKeyLessBytes: the byte comparison orders keys as keyLess does.
func FuzzKeyLessBytes(f *testing.F) {
	for _, p := range [][2]string{{"k10", "k9"}, {"k09", "k9"}, {"a0b", "a00b"}, {"K", "_"}, {"1", "a"}, {"é", "e"}, {"a-b", "a.b"}, {"", "a"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := keyLessBytes([]byte(a), []byte(b)), keyLess(a, b); got != want {
			t.Fatalf("keyLessBytes(%q, %q) = %v, keyLess %v", a, b, got, want)
		}
	})
}
