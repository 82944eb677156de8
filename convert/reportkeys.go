package convert

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// nonEmptyKeys returns, sorted, the top-level keys of v (a struct or a
// pointer to one) as encoding/json encodes it, leaving out those whose value
// encodes as null, false, 0, "", [] or {}; nil when v cannot be encoded.
//
// It walks v by reflection over the json tags instead of encoding it: the
// report asks this of every service, and encoding then decoding each
// ServiceConfig was a quarter of a whole conversion. Whatever the walk does
// not model exactly (custom marshalers are asked themselves; ",string",
// omitzero, conflicting names, cycles, NaN) sends it back to encoding.
func nonEmptyKeys(v any) []string {
	keys, ok := walkKeys(reflect.ValueOf(v))
	if !ok {
		return jsonNonEmptyKeys(v)
	}
	return keys
}

// jsonNonEmptyKeys is nonEmptyKeys by encoding v: the reference the walk
// must agree with, and its fallback.
func jsonNonEmptyKeys(v any) []string {
	keys := jsonKeys(v)
	var out []string
	for _, k := range sortedKeys(keys) {
		if !emptyJSON(keys[k]) {
			out = append(out, k)
		}
	}
	return out
}

func walkKeys(v reflect.Value) ([]string, bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, true // encodes as null
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct || customJSON(v.Type()) {
		return nil, false
	}
	plan := planOf(v.Type())
	if plan.fallback {
		return nil, false
	}
	var keys []string
	for _, f := range plan.fields {
		fv := v.FieldByIndex(f.index)
		if f.omitEmpty && omitted(fv) {
			continue
		}
		empty, ok := emptyValue(fv, 0)
		if !ok {
			return nil, false
		}
		if !empty {
			keys = append(keys, f.name)
		}
	}
	sort.Strings(keys)
	return keys, true
}

// structPlan is what encoding/json emits for a struct type: its fields in
// order with their keys, or fallback when the walk does not model the type.
type structPlan struct {
	fields   []fieldPlan
	fallback bool
}

type fieldPlan struct {
	name      string
	index     []int
	omitEmpty bool
}

var plans sync.Map // reflect.Type → *structPlan

func planOf(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{}
	seen := map[string]bool{}
	p.fallback = !p.collect(t, nil, seen)
	plans.Store(t, p)
	return p
}

// collect appends the fields of t (embedded structs flattened) and reports
// false on anything that needs encoding/json's finer rules.
func (p *structPlan) collect(t reflect.Type, index []int, seen map[string]bool) bool {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		idx := append(append([]int(nil), index...), i)
		if sf.Anonymous && (!sf.IsExported() || name == "") {
			if sf.Type.Kind() != reflect.Struct || !sf.IsExported() || name != "" || customJSON(sf.Type) {
				return false // embedded pointers, unexported or marshaling embeds
			}
			if !p.collect(sf.Type, idx, seen) {
				return false
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if !plainKey(name) || seen[name] || hasOpt(opts, "string") || hasOpt(opts, "omitzero") {
			return false
		}
		seen[name] = true
		p.fields = append(p.fields, fieldPlan{name: name, index: idx, omitEmpty: hasOpt(opts, "omitempty")})
	}
	return true
}

func hasOpt(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// plainKey accepts the key names encoding/json takes from a tag unchanged.
func plainKey(s string) bool {
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	numberType        = reflect.TypeFor[json.Number]()
)

// customJSON reports whether t (or *t) encodes itself.
func customJSON(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		pt.Implements(marshalerType) || pt.Implements(textMarshalerType) || t == numberType
}

// omitted is encoding/json's test for omitempty.
func omitted(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// maxDepth bounds the walk; deeper values (or cycles) go to encoding/json.
const maxDepth = 64

// emptyValue reports whether v encodes as null, false, 0, "", [] or {}; ok
// is false when the walk cannot tell or encoding v would fail, so that the
// caller encodes instead (and fails the same way).
func emptyValue(v reflect.Value, depth int) (empty, ok bool) {
	if depth > maxDepth {
		return false, false
	}
	k := v.Kind()
	if (k == reflect.Pointer || k == reflect.Interface) && v.IsNil() {
		return true, true // null, whatever the type
	}
	if customJSON(v.Type()) {
		if k == reflect.Interface {
			return false, false
		}
		return encodedEmpty(v)
	}
	switch k {
	case reflect.Bool:
		return !v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0, true
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return false, false
		}
		return f == 0 && !math.Signbit(f), true // -0 encodes as "-0"
	case reflect.String:
		return v.Len() == 0, true
	case reflect.Pointer, reflect.Interface:
		return emptyValue(v.Elem(), depth+1)
	case reflect.Struct:
		return emptyStruct(v, depth)
	case reflect.Map:
		return emptyMap(v, depth)
	case reflect.Slice:
		if v.IsNil() {
			return true, true
		}
		return emptyList(v, depth)
	case reflect.Array:
		return emptyList(v, depth)
	}
	return false, false // complex, chan, func: encoding fails
}

// emptyStruct: a struct encodes as {} when it emits no field.
func emptyStruct(v reflect.Value, depth int) (empty, ok bool) {
	plan := planOf(v.Type())
	if plan.fallback {
		return encodedEmpty(v)
	}
	empty = true
	for _, f := range plan.fields {
		fv := v.FieldByIndex(f.index)
		if f.omitEmpty && omitted(fv) {
			continue
		}
		if _, ok := emptyValue(fv, depth+1); !ok {
			return false, false
		}
		empty = false
	}
	return empty, true
}

// emptyMap: a map encodes as {} or null when it has no entry. Keys other
// than strings and plain integers go to encoding/json when there are any
// (it refuses some key types even in an empty map).
func emptyMap(v reflect.Value, depth int) (empty, ok bool) {
	kt := v.Type().Key()
	switch kt.Kind() {
	case reflect.String:
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if kt.Implements(textMarshalerType) && v.Len() > 0 {
			return false, false
		}
	default:
		if !kt.Implements(textMarshalerType) || v.Len() > 0 {
			return false, false
		}
	}
	if v.Len() == 0 || !mayFail(v.Type().Elem()) {
		return v.Len() == 0, true
	}
	iter := v.MapRange()
	for iter.Next() {
		if _, ok := emptyValue(iter.Value(), depth+1); !ok {
			return false, false
		}
	}
	return v.Len() == 0, true
}

// emptyList: a slice or array encodes as [] when it has no element; a byte
// slice is a base64 string instead, "" when empty.
func emptyList(v reflect.Value, depth int) (empty, ok bool) {
	if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 && !customJSON(v.Type().Elem()) {
		return v.Len() == 0, true
	}
	if mayFail(v.Type().Elem()) {
		for i := 0; i < v.Len(); i++ {
			if _, ok := emptyValue(v.Index(i), depth+1); !ok {
				return false, false
			}
		}
	}
	return v.Len() == 0, true
}

// encodedEmpty encodes v itself (through its address when it has one, so
// pointer-receiver marshalers run as they would in place).
func encodedEmpty(v reflect.Value) (empty, ok bool) {
	if !v.CanInterface() {
		return false, false
	}
	x := v.Interface()
	if v.CanAddr() {
		x = v.Addr().Interface()
	}
	data, err := json.Marshal(x)
	if err != nil {
		return false, false
	}
	return emptyJSON(data), true
}

var failures sync.Map // reflect.Type → bool

// mayFail reports whether encoding a value of type t can fail or needs a
// look at the value (floats, custom marshalers, interfaces): only then are
// the elements of a non-empty map or slice walked.
func mayFail(t reflect.Type) bool {
	if f, ok := failures.Load(t); ok {
		return f.(bool)
	}
	failures.Store(t, true) // recursive types: assume the worst while looking
	f := computeMayFail(t)
	failures.Store(t, f)
	return f
}

func computeMayFail(t reflect.Type) bool {
	if customJSON(t) {
		return true
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return false
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return mayFail(t.Elem())
	case reflect.Map:
		kk := t.Key().Kind()
		return kk != reflect.String || mayFail(t.Elem())
	case reflect.Struct:
		plan := planOf(t)
		if plan.fallback {
			return true
		}
		for _, f := range plan.fields {
			if mayFail(t.FieldByIndex(f.index).Type) {
				return true
			}
		}
		return false
	}
	return true
}
