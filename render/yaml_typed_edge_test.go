package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"berth/convert"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Objects of made-up types with every kind of field the plans know, and
// some they do not: the typed writer writes what the JSON way writes, or
// leaves the object to it.

type edgeEmbedded struct {
	Promoted string `json:"promoted,omitempty"`
}

type edgeHidden struct {
	Hidden int `json:"hidden"`
}

// valueMarshaler writes itself as an object clean looks into.
type valueMarshaler struct{ s string }

func (m valueMarshaler) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"s": m.s, "status": map[string]any{}, "spec": map[string]any{}, "n": 1.5})
}

// ptrMarshaler marshals itself only when addressable.
type ptrMarshaler struct{ S string }

func (m *ptrMarshaler) MarshalJSON() ([]byte, error) { return json.Marshal("ptr:" + m.S) }

type zeroer struct{ N int }

func (z zeroer) IsZero() bool { return z.N%2 == 0 }

type keyName string

type edgeSpec struct {
	A string `json:"a,omitempty"`
}

type edgeResources struct {
	B []int `json:"b,omitempty"`
}

type edgeItem struct {
	Name  string        `json:"name"`
	Items []any         `json:"items,omitempty"`
	Spec  *edgeEmbedded `json:"spec,omitempty"`
}

type edgeObject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	*edgeEmbedded
	edgeHidden
	Str       string                       `json:"str"`
	OptStr    string                       `json:"optStr,omitempty"`
	Bytes     []byte                       `json:"bytes,omitempty"`
	NilBytes  []byte                       `json:"nilBytes"`
	U64       uint64                       `json:"u64"`
	F32       float32                      `json:"f32"`
	F64       float64                      `json:"f64,omitempty"`
	F32e      float32                      `json:"f32e,omitempty"`
	I8        int8                         `json:"i8,omitempty"`
	Ptr       *string                      `json:"ptr"`
	Iface     any                          `json:"iface"`
	Arr       [2]string                    `json:"arr"`
	Map       map[string]any               `json:"map"`
	Named     map[keyName]int              `json:"named,omitempty"`
	Spec      edgeSpec                     `json:"spec"`
	Resources *edgeResources               `json:"resources,omitempty"`
	Status    struct{ Up bool }            `json:"status"`
	Marsh     valueMarshaler               `json:"marsh"`
	PtrMarsh  ptrMarshaler                 `json:"ptrMarsh"`
	MapMarsh  map[string]ptrMarshaler      `json:"mapMarsh,omitempty"`
	Zero      zeroer                       `json:"zero,omitzero"`
	Q         resource.Quantity            `json:"q"`
	Qs        map[string]resource.Quantity `json:"qs,omitempty"`
	IOS       intstr.IntOrString           `json:"ios"`
	T         metav1.Time                  `json:"t"`
	Items     []edgeItem                   `json:"items"`
	Unnamed   string
	Skip      string `json:"-"`
	//lint:ignore SA5008 "-," names a field "-", as encoding/json documents
	Dash string `json:"-,"`
	Y    string `json:"y,omitempty"`
}

func (o *edgeObject) DeepCopyObject() runtime.Object { return o }

func edgeOf(a, b string, n int64, x float64) *edgeObject {
	o := &edgeObject{Str: a, OptStr: b, Bytes: []byte(a), U64: uint64(n) * 3, F32: float32(x), F64: x, F32e: float32(x), I8: int8(n),
		Iface: []any{a, n, x, nil, map[string]any{b: a}}, Arr: [2]string{b, a},
		Map:   map[string]any{a: b, "status": map[string]any{a: 1}, "spec": map[string]any{}, "resources": "x", "creationTimestamp": nil, b: []any{}},
		Named: map[keyName]int{keyName(a): 1, keyName(b): 2}, Marsh: valueMarshaler{a}, PtrMarsh: ptrMarshaler{b},
		MapMarsh: map[string]ptrMarshaler{a: {b}}, Zero: zeroer{int(n)}, Q: resource.MustParse("250m"),
		Qs:  map[string]resource.Quantity{"memory": *resource.NewQuantity(n, resource.BinarySI)},
		IOS: intstr.FromString(a), Items: []edgeItem{{Name: a, Items: []any{b, []any{a}}}, {Name: b, Spec: &edgeEmbedded{}}},
		Unnamed: b, Dash: a, Y: b}
	o.Name, o.Labels, o.Annotations = "edge", map[string]string{"app": a}, map[string]string{b: a}
	o.APIVersion, o.Kind = "example.com/v1", "Edge"
	if n%2 == 0 {
		o.edgeEmbedded, o.Ptr, o.IOS = &edgeEmbedded{Promoted: a}, &b, intstr.FromInt32(int32(n))
		o.Resources, o.Spec.A = &edgeResources{}, a
		o.T = metav1.Unix(n%1e9, 0)
	}
	return o
}

// sameAsJSONWay checks the typed writer against the JSON way on o and
// reports whether the typed writer wrote it itself.
func sameAsJSONWay(t *testing.T, o convert.Object) bool {
	t.Helper()
	w := newYAMLWriter()
	typed := w.typedObject(o) == nil
	got, gerr := ObjectYAML(o)
	want, werr := newYAMLWriter().jsonObjectYAML(o)
	if (gerr == nil) != (werr == nil) || !bytes.Equal(got, want) {
		t.Fatalf("typed writer (%v) differs from the JSON way (%v, %v)\n got:\n%s\nwant:\n%s", typed, gerr, werr, got, want)
	}
	return typed
}

func TestTypedWriterEdgeTypes(t *testing.T) {
	for i, s := range awkwardStrings {
		o := edgeOf(s, s+"k", int64(i), float64(i)/3)
		if typed := sameAsJSONWay(t, o); !typed && i < 3 {
			t.Errorf("%q: the typed writer left the object to the JSON way", s)
		}
	}
	sameAsJSONWay(t, edgeOf("a", "b", -1, math.Copysign(0, -1)))
	sameAsJSONWay(t, edgeOf("a", "b", math.MaxInt64, 1e-7))
	sameAsJSONWay(t, edgeOf("a", "b", math.MinInt64, 1e21))
}

type stringOption struct {
	edgeObject
	N int `json:"n,string"`
}

type clash struct {
	edgeObject
	Str string `json:"str"` // hides edgeObject's by depth
}

type textKey struct{ v string }

func (k textKey) MarshalText() ([]byte, error) { return []byte(k.v), nil }

type textMarshaled struct {
	edgeObject
	K textKey `json:"k"`
}

type intKeys struct {
	edgeObject
	M map[int]string `json:"m"`
}

type cyclic struct {
	edgeObject
	Next *cyclic `json:"next,omitempty"`
}

type failing struct {
	edgeObject
	F failingMarshaler `json:"f"`
}

type failingMarshaler struct{}

func (failingMarshaler) MarshalJSON() ([]byte, error) { return nil, errors.New("no JSON") }

func TestTypedWriterLeavesUnknownsToJSON(t *testing.T) {
	c := &cyclic{edgeObject: *edgeOf("a", "b", 1, 1)}
	c.Next = c // encoding/json reports the cycle
	deep := &cyclic{edgeObject: *edgeOf("a", "b", 1, 1)}
	for p, i := deep, 0; i < 600; i++ {
		p.Next = &cyclic{}
		p = p.Next
	}
	for _, o := range []convert.Object{&stringOption{edgeObject: *edgeOf("a", "b", 1, 1), N: 3}, &clash{edgeObject: *edgeOf("a", "b", 1, 1)},
		&textMarshaled{edgeObject: *edgeOf("a", "b", 1, 1)}, &intKeys{edgeObject: *edgeOf("a", "b", 1, 1), M: map[int]string{1: "x"}},
		c, deep, &failing{edgeObject: *edgeOf("a", "b", 1, 1)}, edgeOf("a", "b", 1, math.NaN())} {
		if newYAMLWriter().typedObject(o) == nil {
			t.Errorf("%T: written by the typed writer", o)
		}
		got, gerr := ObjectYAML(o)
		want, werr := newYAMLWriter().jsonObjectYAML(o)
		if (gerr == nil) != (werr == nil) || !bytes.Equal(got, want) {
			t.Errorf("%T: differs from the JSON way (%v, %v)", o, gerr, werr)
		}
	}
}

// FuzzTypedWriter: for any strings and numbers in the made-up object, the
// typed writer writes what the JSON way writes.
func FuzzTypedWriter(f *testing.F) {
	for i, s := range awkwardStrings {
		f.Add(s, s+"k", int64(i), float64(i)/3)
	}
	f.Fuzz(func(t *testing.T, a, b string, n int64, x float64) {
		sameAsJSONWay(t, edgeOf(a, b, n, x))
	})
}
