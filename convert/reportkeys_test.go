package convert

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// composeFiles are real compose files: the corpus, the fixtures and the
// loading tests' inputs.
func composeFiles(t *testing.T) []string {
	var files []string
	for _, g := range []string{"../../shared/corpus/*/*compose*.y*ml", "../fixtures/*/compose*.yaml",
		"testdata/load/*/compose*.yaml", "testdata/load/fuzzseed/*.yaml"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no compose files found")
	}
	return files
}

// TestNonEmptyKeysMatchesJSON: the reflective walk lists the same keys as
// encoding and decoding, for every service (and its deploy) of every real
// compose file, and the walk itself handles them (no silent fallback).
func TestNonEmptyKeysMatchesJSON(t *testing.T) {
	services := 0
	for _, file := range composeFiles(t) {
		l, err := Load(context.Background(), LoadOptions{Files: []string{file}, ProjectDir: filepath.Dir(file),
			ProjectName: "keys", Environ: []string{}, Profiles: []string{"*"}})
		if err != nil {
			continue
		}
		for name, s := range l.Project.Services {
			services++
			checkKeys(t, file+": "+name, s)
			checkKeys(t, file+": "+name+".deploy", s.Deploy)
			if got, want := nonEmptyKeysAt(&s), jsonNonEmptyKeys(s); !slices.Equal(got, want) {
				t.Errorf("%s: %s: nonEmptyKeysAt = %q, encoding/json says %q", file, name, got, want)
			}
			if _, ok := walkKeys(reflect.ValueOf(s)); !ok {
				t.Errorf("%s: %s: the walk fell back to encoding/json", file, name)
			}
		}
	}
	if services < 50 {
		t.Fatalf("only %d services loaded", services)
	}
}

func checkKeys(t *testing.T, what string, v any) {
	t.Helper()
	got, want := nonEmptyKeys(v), jsonNonEmptyKeys(v)
	if !slices.Equal(got, want) {
		t.Errorf("%s: nonEmptyKeys = %q, encoding/json says %q", what, got, want)
	}
}

type failingMarshaler struct{ on bool }

func (f failingMarshaler) MarshalJSON() ([]byte, error) {
	if f.on {
		return nil, errors.New("refused")
	}
	return []byte(" [ ] "), nil
}

type badJSON struct{}

func (badJSON) MarshalJSON() ([]byte, error) { return []byte("[1"), nil }

// parity marshals by its value: null when even, an error when negative,
// for the memo of integer marshalers.
type parity int

func (p parity) MarshalJSON() ([]byte, error) {
	switch {
	case p < 0:
		return nil, errors.New("negative")
	case p%2 == 0:
		return []byte("null"), nil
	}
	return []byte(`"odd"`), nil
}

type holdsPtrMarshaler struct {
	P ptrMarshaler `json:"p"`
}

type textValue string

func (t textValue) MarshalText() ([]byte, error) { return []byte(t), nil }

type ptrMarshaler int

func (p *ptrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"ptr"`), nil }

type textKey int

func (k textKey) MarshalText() ([]byte, error) { return []byte("k"), nil }

type Inner struct {
	A string `json:"a,omitempty"`
	B int    `json:"b"`
}

// plain has only what the walk models itself.
type plain struct {
	Inner
	NegZero  float64             `json:"neg_zero"`
	NaN      float32             `json:"nan,omitempty"`
	Number   json.Number         `json:"number"`
	Bytes    []byte              `json:"bytes"`
	IntKeys  map[int]string      `json:"int_keys"`
	TextKeys map[textKey]string  `json:"text_keys"`
	FloatMap map[string]float64  `json:"float_map"`
	Any      any                 `json:"any"`
	Ptr      *Inner              `json:"ptr"`
	Bad      *badJSON            `json:"bad"`
	Parity   parity              `json:"parity"`
	Text     textValue           `json:"text"`
	Strings  map[string]string   `json:"strings,omitempty"`
	Self     []plain             `json:"self,omitempty"`
	Fail     failingMarshaler    `json:"fail"`
	PtrMarsh ptrMarshaler        `json:"ptr_marsh"`
	Nested   map[string][]*Inner `json:"nested"`
	Floats   []float64           `json:"floats"`
	Array    [0]int              `json:"array"`
	Untagged bool
	Dash     string `json:"-"`
}

// Types the walk hands to encoding/json.
type (
	inner    struct{ C string }
	unexport struct {
		inner
		D int `json:"d"`
	}
	quoted struct {
		N int `json:"n,string"`
	}
	omitZero struct {
		Z Inner `json:"z,omitzero"`
	}
	conflict struct {
		Inner
		A string `json:"a"`
	}
	embedsPointer struct {
		*Inner
		D int `json:"d"`
	}
	withChan struct {
		Chan chan int `json:"chan,omitempty"` // omitempty does not omit a chan: encoding fails
	}
	cycle struct {
		Next *cycle `json:"next"`
	}
	nestsQuoted struct {
		Q quoted `json:"q"`
		R int    `json:"r"`
	}
)

// TestNonEmptyKeysEdgeCases: values the walk models itself or hands back
// to encoding/json agree with encoding/json.
func TestNonEmptyKeysEdgeCases(t *testing.T) {
	if _, ok := walkKeys(reflect.ValueOf(plain{})); !ok {
		t.Fatal("the walk does not handle plain itself")
	}
	nan := float32(math.NaN())
	cases := map[string]any{
		"zero":            plain{},
		"nil pointer":     (*plain)(nil),
		"pointer":         &plain{Inner: Inner{A: "x"}},
		"negative zero":   plain{NegZero: math.Copysign(0, -1)},
		"nan":             plain{NaN: nan},
		"nan in a slice":  plain{Floats: []float64{1, math.Inf(1)}},
		"nan in a map":    plain{FloatMap: map[string]float64{"a": math.NaN()}},
		"floats":          plain{Floats: []float64{0}},
		"number":          plain{Number: "12"},
		"bad number":      plain{Number: "x"},
		"empty bytes":     plain{Bytes: []byte{}},
		"bytes":           plain{Bytes: []byte("a")},
		"int keys":        plain{IntKeys: map[int]string{1: ""}},
		"empty int keys":  plain{IntKeys: map[int]string{}},
		"text keys":       plain{TextKeys: map[textKey]string{1: ""}},
		"any zero":        plain{Any: 0},
		"any map":         plain{Any: map[string]any{}},
		"any struct":      plain{Any: Inner{}},
		"any nan":         plain{Any: []any{math.NaN()}},
		"any func":        plain{Any: func() {}},
		"empty ptr":       plain{Ptr: &Inner{}},
		"bad json":        plain{Bad: &badJSON{}},
		"parity even":     plain{Parity: 2},
		"parity odd":      plain{Parity: 3},
		"parity negative": plain{Parity: -1},
		"text":            plain{Text: "x"},
		"strings":         plain{Strings: map[string]string{"a": ""}},
		"self":            plain{Self: []plain{{}}},
		"self nan":        plain{Self: []plain{{NaN: nan}}},
		"failing":         plain{Fail: failingMarshaler{on: true}},
		"chan":            withChan{},
		"nested nil":      plain{Nested: map[string][]*Inner{"a": nil}},
		"nested":          plain{Nested: map[string][]*Inner{"a": {{A: "b"}}}},
		"untagged":        plain{Untagged: true},
		"unexported":      unexport{inner: inner{C: "x"}},
		"quoted":          quoted{},
		"nests quoted":    nestsQuoted{},
		"omitzero":        omitZero{Z: Inner{B: 1}},
		"omitzero zero":   omitZero{},
		"conflict":        conflict{A: "x"},
		"embeds pointer":  embedsPointer{},
		"embeds pointer2": embedsPointer{Inner: &Inner{B: 1}},
		"inner":           Inner{},
		"ptr inner":       &Inner{B: 2},
		"not a struct":    map[string]int{"a": 1},
		"service nan cpu": types.ServiceConfig{ContainerSpec: types.ContainerSpec{CPUS: nan}},
		"service":         types.ServiceConfig{ContainerSpec: types.ContainerSpec{CPUS: 1, Image: "x"}},
		"deploy":          &types.DeployConfig{Resources: types.Resources{Limits: &types.Resource{}}},
		"deploy nan":      &types.DeployConfig{Resources: types.Resources{Limits: &types.Resource{NanoCPUs: types.NanoCPUs(nan)}}},
		"secret mode":     types.ServiceConfig{ContainerSpec: types.ContainerSpec{Secrets: []types.ServiceSecretConfig{{Source: "a", Mode: ptr(types.FileMode(0o400))}}}},
		"ulimits":         types.ServiceConfig{ContainerSpec: types.ContainerSpec{Ulimits: map[string]*types.UlimitsConfig{"nofile": {Single: 1}}}},
	}
	loop := &cycle{}
	loop.Next = loop
	cases["cycle"] = loop
	// In place, a pointer-only marshaler held by value would run: the
	// copy nonEmptyKeys(v) gets does not run it.
	if got, want := nonEmptyKeysAt(&holdsPtrMarshaler{}), jsonNonEmptyKeys(holdsPtrMarshaler{}); !slices.Equal(got, want) {
		t.Errorf("nonEmptyKeysAt(&holdsPtrMarshaler{}) = %q, encoding/json says %q", got, want)
	}
	if got, want := nonEmptyKeysAt(&plain{}), jsonNonEmptyKeys(plain{}); !slices.Equal(got, want) {
		t.Errorf("nonEmptyKeysAt(&plain{}) = %q, encoding/json says %q", got, want)
	}
	for range 2 { // twice: the second time from the memo of integer marshalers
		for name, v := range cases {
			checkKeys(t, name, v)
		}
	}
}

func ptr[T any](v T) *T { return &v }
