package render

import (
	"encoding"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unicode"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Plans of Go types for the typed writer (yaml_typed.go): what
// encoding/json writes for a type, worked out once per type as
// encoding/json does (encode.go newTypeEncoder and typeFields), with the
// struct fields already in yaml.v2's key order. A type whose JSON these
// plans do not reproduce exactly (",string" or omitzero fields, clashing
// promoted names, text marshalers, non-string map keys...) gets
// planUnsupported, and an object holding one goes the JSON way.

type planKind uint8

const (
	planUnsupported planKind = iota
	planStruct
	planMap // keys of a string kind
	planSlice
	planArray
	planBytes // []byte: a base64 string
	planPointer
	planInterface
	planString
	planBool
	planInt
	planUint
	planFloat
	planMarshaler // a json.Marshaler: its JSON goes through the tree writer
	planQuantity  // resource.Quantity, a string
	planIntOrString
	planTime // metav1.Time: null when zero
)

type typePlan struct {
	kind   planKind
	elem   *typePlan   // of pointers, slices, arrays and maps
	fields []planField // of structs, in yaml.v2's key order
	bits   int         // of floats
	// addr: a marshaler only through its pointer, so only for addressable
	// values; plain is the plan for the others.
	addr  bool
	plain *typePlan
	// strMap and anyMap: the map is exactly map[string]string or
	// map[string]any, read without reflection's per-entry copies.
	strMap, anyMap bool
	// alwaysMembers: the struct's JSON is never {} (a field is neither
	// omitempty nor omitzero nor behind an embedded pointer)
	alwaysMembers bool
}

type planField struct {
	index     []int  // through embedded structs, as reflect's FieldByIndex
	name      string // the JSON key
	key       string // the key as yaml.v2 writes it; "" if the tree writer would give up
	omitEmpty bool
	omitZero  zeroTest // how omitzero tells a zero value, if the field has it
	cleanable bool     // a key clean may drop (cleanedMember)
	// for omitempty fields of the struct itself: where it is in the
	// struct's memory and how that shows it empty (yaml_typed_empty.go)
	offset, size uintptr
	empty        emptyTest
	plan         *typePlan
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	quantityType      = reflect.TypeFor[resource.Quantity]()
	intOrStringType   = reflect.TypeFor[intstr.IntOrString]()
	timeType          = reflect.TypeFor[metav1.Time]()
	stringMapType     = reflect.TypeFor[map[string]string]()
	anyMapType        = reflect.TypeFor[map[string]any]()
)

// planKey tells apart the two plans encoding/json may use for a type:
// with allowAddr (a value that may be addressable) or without.
type planKey struct {
	t      reflect.Type
	noAddr bool
}

var (
	plans  sync.Map // planKey -> *typePlan, complete plans only
	planMu sync.Mutex
)

// planFor is the plan of t for values that may be addressable.
func planFor(t reflect.Type) *typePlan { return lookupPlan(planKey{t: t}) }

func lookupPlan(k planKey) *typePlan {
	if p, ok := plans.Load(k); ok {
		return p.(*typePlan)
	}
	planMu.Lock()
	defer planMu.Unlock()
	b := planBuilder{building: map[planKey]*typePlan{}}
	p := b.plan(k)
	// a recursive type's plans point at each other: publish them together
	for k, p := range b.building {
		plans.Store(k, p)
	}
	return p
}

type planBuilder struct {
	building map[planKey]*typePlan
}

func (b *planBuilder) plan(k planKey) *typePlan {
	if p, ok := plans.Load(k); ok {
		return p.(*typePlan)
	}
	if p, ok := b.building[k]; ok {
		return p // a recursive type: filled when its first use returns
	}
	p := &typePlan{}
	b.building[k] = p
	b.fill(p, k.t, !k.noAddr)
	return p
}

// fill follows newTypeEncoder's order: marshalers first (through the
// pointer, only for addressable values), then the kind.
func (b *planBuilder) fill(p *typePlan, t reflect.Type, allowAddr bool) {
	switch t {
	case quantityType:
		p.kind = planQuantity
		return
	case intOrStringType:
		p.kind = planIntOrString
		return
	case timeType:
		p.kind = planTime
		return
	}
	pt := reflect.PointerTo(t)
	switch {
	case t.Kind() != reflect.Pointer && allowAddr && pt.Implements(marshalerType):
		p.kind, p.addr, p.plain = planMarshaler, true, b.plan(planKey{t: t, noAddr: true})
		return
	case t.Implements(marshalerType):
		if t.Kind() != reflect.Interface {
			p.kind = planMarshaler
		}
		return
	case pt.Implements(textMarshalerType) || t.Implements(textMarshalerType):
		return // rare in manifests: left to encoding/json
	}
	b.fillKind(p, t)
}

func (b *planBuilder) fillKind(p *typePlan, t reflect.Type) {
	switch t.Kind() {
	case reflect.Bool:
		p.kind = planBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = planInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind = planUint
	case reflect.Float32, reflect.Float64:
		p.kind, p.bits = planFloat, t.Bits()
	case reflect.String:
		p.kind = planString
	case reflect.Interface:
		p.kind = planInterface
	case reflect.Pointer:
		p.kind, p.elem = planPointer, b.plan(planKey{t: t.Elem()})
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			p.kind, p.elem = planMap, b.plan(planKey{t: t.Elem()})
			p.strMap, p.anyMap = t == stringMapType, t == anyMapType
		}
	case reflect.Slice:
		if e := reflect.PointerTo(t.Elem()); t.Elem().Kind() == reflect.Uint8 &&
			!e.Implements(marshalerType) && !e.Implements(textMarshalerType) {
			p.kind = planBytes
			return
		}
		p.kind, p.elem = planSlice, b.plan(planKey{t: t.Elem()})
	case reflect.Array:
		p.kind, p.elem = planArray, b.plan(planKey{t: t.Elem()})
	case reflect.Struct:
		b.fillStruct(p, t)
	}
}

func (b *planBuilder) fillStruct(p *typePlan, t reflect.Type) {
	fields, ok := jsonFields(t)
	if !ok {
		return
	}
	for i := range fields {
		f := &fields[i]
		f.plan = b.plan(planKey{t: typeByIndex(t, f.index)})
		f.key = plainKey(f.name)
		f.cleanable = cleanableKey(f.name)
		if len(f.index) == 1 && f.omitEmpty && f.omitZero == zeroNone {
			sf := t.Field(f.index[0])
			f.offset = sf.Offset
			f.empty, f.size = emptyTestOf(sf.Type)
		}
	}
	sort.SliceStable(fields, func(i, j int) bool { return keyLess(fields[i].name, fields[j].name) })
	p.kind, p.fields = planStruct, fields
	for _, f := range fields {
		if len(f.index) == 1 && !f.omitEmpty && f.omitZero == zeroNone {
			p.alwaysMembers = true
		}
	}
}

// A zeroTest is how encoding/json's omitzero tells a zero value: with
// its IsZero method, found as typeFields finds it, or else reflect's.
type zeroTest uint8

const (
	zeroNone      zeroTest = iota // no omitzero
	zeroReflect                   // reflect.Value.IsZero
	zeroInterface                 // an interface type with IsZero
	zeroPointer                   // a pointer type with IsZero
	zeroValue                     // IsZero on the value
	zeroAddr                      // IsZero on its pointer
)

var zeroerType = reflect.TypeFor[interface{ IsZero() bool }]()

func zeroTestOf(t reflect.Type) zeroTest {
	switch {
	case t.Kind() == reflect.Interface && t.Implements(zeroerType):
		return zeroInterface
	case t.Kind() == reflect.Pointer && t.Implements(zeroerType):
		return zeroPointer
	case t.Implements(zeroerType):
		return zeroValue
	case reflect.PointerTo(t).Implements(zeroerType):
		return zeroAddr
	}
	return zeroReflect
}

// plainKey is name as the tree writer writes it as a key, or "" where it
// gives up (errEmitFallback).
func plainKey(name string) string {
	w := newYAMLWriter()
	st, text := w.styleOf([]byte(name))
	if st == styleNone || scalarLen([]byte(name), st, text) > simpleKeyLimit {
		return ""
	}
	w.appendScalar([]byte(name), st, text)
	return string(w.buf)
}

func typeByIndex(t reflect.Type, index []int) reflect.Type {
	for _, i := range index {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		t = t.Field(i).Type
	}
	return t
}

// jsonFields lists the fields encoding/json writes for struct t, as
// typeFields finds them, embedded structs' fields promoted. Where two
// fields share a name typeFields picks a dominant one or drops both;
// rather than redo that, ok is false and the type is left to
// encoding/json, as are ",string" and omitzero fields.
func jsonFields(t reflect.Type) (fields []planField, ok bool) {
	next := []planField{{}}
	types := []reflect.Type{t}
	visited := map[reflect.Type]bool{}
	names := map[string]bool{}
	for len(next) > 0 {
		current, currentTypes := next, types
		next, types = nil, nil
		queued := map[reflect.Type]int{}
		for i, f := range current {
			ft := currentTypes[i]
			if visited[ft] {
				continue
			}
			visited[ft] = true
			for j := range ft.NumField() {
				field, embedded, skip, ok := jsonField(ft.Field(j), f.index, j)
				switch {
				case !ok:
					return nil, false
				case skip:
				case embedded != nil:
					if queued[embedded]++; queued[embedded] > 1 {
						return nil, false // the same struct embedded twice: its names clash
					}
					next, types = append(next, field), append(types, embedded)
				case names[field.name]:
					return nil, false
				default:
					names[field.name] = true
					fields = append(fields, field)
				}
			}
		}
	}
	return fields, true
}

// jsonField is one field of a struct at index path parent: a field to
// write, an embedded struct to explore (its type), or one to skip; ok is
// false for options the plans do not cover.
func jsonField(sf reflect.StructField, parent []int, i int) (f planField, embedded reflect.Type, skip, ok bool) {
	if sf.Anonymous {
		t := sf.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if !sf.IsExported() && t.Kind() != reflect.Struct {
			return f, nil, true, true
		}
	} else if !sf.IsExported() {
		return f, nil, true, true
	}
	tag := sf.Tag.Get("json")
	if tag == "-" {
		return f, nil, true, true
	}
	name, opts, _ := strings.Cut(tag, ",")
	if !validTagName(name) {
		name = ""
	}
	if hasOption(opts, "string") {
		return f, nil, false, false
	}
	f.index = append(append([]int(nil), parent...), i)
	ft := sf.Type
	if ft.Name() == "" && ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
		return f, ft, false, true
	}
	if name == "" {
		name = sf.Name
	}
	f.name, f.omitEmpty = name, hasOption(opts, "omitempty")
	if hasOption(opts, "omitzero") {
		f.omitZero = zeroTestOf(sf.Type)
	}
	return f, nil, false, true
}

func hasOption(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// validTagName is encoding/json's isValidTag.
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
