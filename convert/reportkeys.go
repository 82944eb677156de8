package convert

import (
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
	if v.Kind() != reflect.Struct {
		return nil, false
	}
	plan := planOf(v.Type())
	if plan.fallback {
		return nil, false
	}
	keys := make([]string, 0, 8)
	for i := range plan.fields {
		f := &plan.fields[i]
		fv := v.FieldByIndex(f.index)
		if f.omitEmpty && omitted(fv) {
			continue
		}
		empty, ok := f.walk(fv, 0)
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
// order with their keys, or fallback when the walk does not model the type
// (it encodes itself, or needs encoding/json's finer rules).
type structPlan struct {
	fields   []fieldPlan
	fallback bool
}

type fieldPlan struct {
	name      string
	index     []int
	omitEmpty bool
	walk      walker // of the field's type, set once the plan is stored
}

var plans sync.Map // reflect.Type → *structPlan

func planOf(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{}
	seen := map[string]bool{}
	p.fallback = customJSON(t) || !p.collect(t, nil, seen)
	for i := range p.fields {
		p.fields[i].walk = lazyWalker(t.FieldByIndex(p.fields[i].index).Type)
	}
	stored, _ := plans.LoadOrStore(t, p)
	return stored.(*structPlan)
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

// nonEmptyKeysAt is nonEmptyKeys(*p) for a pointer to a struct, with *p
// treated as the copy nonEmptyKeys would get: it walks *p in place when
// that cannot change the answer, which saves copying *p into an interface.
func nonEmptyKeysAt(p any) []string {
	v := reflect.ValueOf(p).Elem()
	if addrSensitive(v.Type()) {
		return nonEmptyKeys(v.Interface())
	}
	keys, ok := walkKeys(v)
	if !ok {
		return jsonNonEmptyKeys(v.Interface())
	}
	return keys
}

var sensitive sync.Map // reflect.Type → bool

// addrSensitive reports whether a value of t may encode otherwise when it
// is addressable: some type within it, reached through no pointer, slice,
// map or interface, has marshaling methods only on its pointer.
func addrSensitive(t reflect.Type) bool {
	if s, ok := sensitive.Load(t); ok {
		return s.(bool)
	}
	s := computeAddrSensitive(t, map[reflect.Type]bool{})
	sensitive.Store(t, s)
	return s
}

func computeAddrSensitive(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	if k := t.Kind(); k != reflect.Pointer && k != reflect.Interface {
		pt := reflect.PointerTo(t)
		if pt.Implements(marshalerType) != t.Implements(marshalerType) ||
			pt.Implements(textMarshalerType) != t.Implements(textMarshalerType) {
			return true
		}
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if computeAddrSensitive(t.Field(i).Type, seen) {
				return true
			}
		}
	case reflect.Array:
		return computeAddrSensitive(t.Elem(), seen)
	}
	return false
}
