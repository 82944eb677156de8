package convert

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"sync"
)

// A walker reports whether a value encodes as null, false, 0, "", [] or {};
// ok is false when the walk cannot tell or encoding the value would fail,
// so that the caller encodes instead (and fails the same way). Walkers are
// built once per type, like encoding/json's encoders.
type walker func(v reflect.Value, depth int) (empty, ok bool)

var walkers sync.Map // reflect.Type → walker

func walkerOf(t reflect.Type) walker {
	if w, ok := walkers.Load(t); ok {
		return w.(walker)
	}
	w, _ := walkers.LoadOrStore(t, newWalker(t))
	return w.(walker)
}

// lazyWalker defers building the walker of t to its first use, so that
// recursive types do not recurse while building.
func lazyWalker(t reflect.Type) walker {
	get := sync.OnceValue(func() walker { return walkerOf(t) })
	return func(v reflect.Value, depth int) (bool, bool) { return get()(v, depth) }
}

func newWalker(t reflect.Type) walker {
	if t.Kind() == reflect.Interface {
		if customJSON(t) {
			return refuse
		}
		return walkInterface
	}
	if t.Kind() == reflect.Pointer && t.Elem().Kind() != reflect.Pointer && t.Elem().Implements(marshalerType) {
		return pointerWalker(t) // *T calls T's MarshalJSON: walk T, whose answers are remembered
	}
	if customJSON(t) {
		return encodedWalker(t)
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(v reflect.Value, _ int) (bool, bool) { return !v.Bool(), true }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value, _ int) (bool, bool) { return v.Int() == 0, true }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(v reflect.Value, _ int) (bool, bool) { return v.Uint() == 0, true }
	case reflect.Float32, reflect.Float64:
		return walkFloat
	case reflect.String:
		return func(v reflect.Value, _ int) (bool, bool) { return v.Len() == 0, true }
	case reflect.Pointer:
		return pointerWalker(t)
	case reflect.Struct:
		return structWalker(t)
	case reflect.Map:
		return mapWalker(t)
	case reflect.Slice, reflect.Array:
		return listWalker(t)
	}
	return refuse // complex, chan, func: encoding fails
}

func refuse(reflect.Value, int) (bool, bool) { return false, false }

func walkFloat(v reflect.Value, _ int) (bool, bool) {
	f := v.Float()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return false, false
	}
	return f == 0 && !math.Signbit(f), true // -0 encodes as "-0"
}

// maxDepth bounds the walk; deeper values (or cycles) go to encoding/json.
const maxDepth = 64

func walkInterface(v reflect.Value, depth int) (bool, bool) {
	if v.IsNil() {
		return true, true
	}
	if depth > maxDepth {
		return false, false
	}
	e := v.Elem()
	return walkerOf(e.Type())(e, depth+1)
}

func pointerWalker(t reflect.Type) walker {
	elem := lazyWalker(t.Elem())
	return func(v reflect.Value, depth int) (bool, bool) {
		if v.IsNil() {
			return true, true
		}
		if depth > maxDepth {
			return false, false
		}
		return elem(v.Elem(), depth+1)
	}
}

// structWalker: a struct encodes as {} when it emits no field.
func structWalker(t reflect.Type) walker {
	plan := planOf(t)
	if plan.fallback {
		return encodedWalker(t)
	}
	return func(v reflect.Value, depth int) (bool, bool) {
		if depth > maxDepth {
			return false, false
		}
		empty := true
		for i := range plan.fields {
			f := &plan.fields[i]
			fv := v.FieldByIndex(f.index)
			if f.omitEmpty && omitted(fv) {
				continue
			}
			if _, ok := f.walk(fv, depth+1); !ok {
				return false, false
			}
			empty = false
		}
		return empty, true
	}
}

// mapWalker: a map encodes as {} or null when it has no entry. Keys other
// than strings and plain integers go to encoding/json when there are any
// (it refuses some key types even in an empty map).
func mapWalker(t reflect.Type) walker {
	kt := t.Key()
	plainKeys, emptyOnly := false, false
	switch kt.Kind() {
	case reflect.String:
		plainKeys = true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		plainKeys, emptyOnly = !kt.Implements(textMarshalerType), true
	default:
		if !kt.Implements(textMarshalerType) {
			return refuse
		}
		emptyOnly = true
	}
	elemMayFail, elem := mayFail(t.Elem()), lazyWalker(t.Elem())
	return func(v reflect.Value, depth int) (bool, bool) {
		switch {
		case v.Len() == 0:
			return true, true
		case !plainKeys && emptyOnly:
			return false, false
		case !elemMayFail:
			return false, true
		case depth > maxDepth:
			return false, false
		}
		iter := v.MapRange()
		for iter.Next() {
			if _, ok := elem(iter.Value(), depth+1); !ok {
				return false, false
			}
		}
		return false, true
	}
}

// listWalker: a slice or array encodes as [] (or null) when it has no
// element; a byte slice is a base64 string instead, "" when empty.
func listWalker(t reflect.Type) walker {
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 && !customJSON(t.Elem()) {
		return func(v reflect.Value, _ int) (bool, bool) { return v.Len() == 0, true }
	}
	elemMayFail, elem := mayFail(t.Elem()), lazyWalker(t.Elem())
	return func(v reflect.Value, depth int) (bool, bool) {
		n := v.Len()
		if n == 0 || !elemMayFail {
			return n == 0, true
		}
		if depth > maxDepth {
			return false, false
		}
		for i := 0; i < n; i++ {
			if _, ok := elem(v.Index(i), depth+1); !ok {
				return false, false
			}
		}
		return false, true
	}
}

// encodedWalker asks a type that encodes itself: its MarshalJSON directly
// when encoding/json would call it (the pointer method for an addressable
// value first, as encoding/json does), else encoding/json, through the
// value's address when it has one so that pointer methods run as in place.
func encodedWalker(t reflect.Type) walker {
	addrMarshals := t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(marshalerType)
	marshals := t.Implements(marshalerType)
	w := func(v reflect.Value, _ int) (bool, bool) {
		k := v.Kind()
		if (k == reflect.Pointer || k == reflect.Interface) && v.IsNil() {
			return true, true // null, whatever the type
		}
		if !v.CanInterface() {
			return false, false
		}
		switch {
		case addrMarshals && v.CanAddr():
			return marshaledEmpty(v.Addr().Interface().(json.Marshaler))
		case marshals:
			return marshaledEmpty(v.Interface().(json.Marshaler))
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
	if marshals {
		return memoWalker(t, w) // only for integer types
	}
	return w
}

func marshaledEmpty(m json.Marshaler) (empty, ok bool) {
	data, err := m.MarshalJSON()
	if err != nil || !json.Valid(data) {
		return false, false
	}
	return emptyCompact(data), true
}

// emptyCompact is emptyJSON of valid JSON before encoding/json compacts it.
func emptyCompact(data []byte) bool {
	data = trimJSONSpace(data)
	if n := len(data); n >= 2 && (data[0] == '[' && data[n-1] == ']' || data[0] == '{' && data[n-1] == '}') {
		return len(trimJSONSpace(data[1:n-1])) == 0
	}
	return emptyJSON(data)
}

func trimJSONSpace(b []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
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
