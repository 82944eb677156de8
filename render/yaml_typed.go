package render

import (
	"reflect"
	"sort"
	"strconv"
	"unsafe"

	"berth/convert"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Writing YAML straight from a typed object, without its JSON: the plan
// of its type (yaml_plan.go) says which members encoding/json would write,
// and the writer puts them out as the tree writer (yaml_tree.go) writes
// them from the JSON, cleaning as it goes. Encoding the object to JSON
// and reading that back took more than half the time of a stream. Where
// the output might differ from the JSON way's (a type without a plan, a
// string the tree writer gives up on, a pointer cycle) it gives up
// (errEmitFallback) and objectYAML takes the JSON way for the object.

// typedDepthLimit bounds the nesting: encoding/json looks for pointer
// cycles past 1000 levels; such objects are left to it.
const typedDepthLimit = 500

// A member is one member of a mapping being written, on w.mstack: a
// struct field or a map entry.
type member struct {
	field *planField    // a struct field; nil for a map entry
	key   string        // a map entry's key
	plan  *typePlan     // the value's plan; nil: its dynamic type's
	v     reflect.Value // the value, unless isStr
	str   string        // a map[string]string entry's value
	isStr bool
}

// typedObject writes o into w.buf.
func (w *yamlWriter) typedObject(o convert.Object) error {
	w.buf, w.mstack, w.depth = w.buf[:0], w.mstack[:0], 0
	v := reflect.ValueOf(o)
	if u, ok := o.(*unstructured.Unstructured); ok {
		if u == nil || u.Object == nil {
			return errEmitFallback
		}
		v = reflect.ValueOf(u.Object) // all its MarshalJSON encodes
	}
	p, v, null, err := w.deref(planFor(v.Type()), v)
	if err != nil || null || p.kind != planStruct && p.kind != planMap {
		return errEmitFallback
	}
	if err := w.collect(p, v); err != nil {
		return err
	}
	if len(w.mstack) == 0 {
		w.buf = append(w.buf, "{}\n"...)
		return nil
	}
	return w.typedMapping(0, 0, false)
}

// deref follows pointers and interfaces to the value they hold; null
// reports a nil one (JSON null).
func (w *yamlWriter) deref(p *typePlan, v reflect.Value) (*typePlan, reflect.Value, bool, error) {
	for range typedDepthLimit {
		switch {
		case p == nil:
			if !v.IsValid() {
				return p, v, true, nil
			}
			p = planFor(v.Type())
		case p.kind == planPointer:
			if v.IsNil() {
				return p, v, true, nil
			}
			p, v = p.elem, v.Elem()
		case p.kind == planInterface:
			if v.IsNil() {
				return p, v, true, nil
			}
			p, v = nil, v.Elem()
		case p.kind == planMap || p.kind == planSlice || p.kind == planBytes:
			return p, v, v.IsNil(), nil
		default:
			return p, v, false, nil
		}
	}
	return p, v, false, errEmitFallback
}

// collect appends the members of struct or map v that clean keeps to
// w.mstack, in yaml.v2's order.
func (w *yamlWriter) collect(p *typePlan, v reflect.Value) error {
	if p.kind == planStruct {
		return w.structMembers(p, v)
	}
	start := len(w.mstack)
	if err := w.mapMembers(p, v); err != nil {
		return err
	}
	kept := start
	for j := start; j < len(w.mstack); j++ {
		m := w.mstack[j]
		if !m.isStr && cleanableKey(m.key) {
			drop, err := w.cleanedValue(m.key, m.plan, m.v)
			if err != nil {
				return err
			}
			if drop {
				continue
			}
		}
		w.mstack[kept] = m
		kept++
	}
	w.mstack = w.mstack[:kept]
	w.msorter.m = w.mstack[start:]
	sort.Sort(&w.msorter)
	w.msorter.m = nil
	return nil
}

func (w *yamlWriter) structMembers(p *typePlan, v reflect.Value) error {
	base := structBase(v)
	for i := range p.fields {
		f := &p.fields[i]
		empty, known := knownEmpty(f, base)
		if empty {
			continue
		}
		fv, ok := fieldByIndex(v, f.index)
		if !ok || !known && omitted(f, fv) {
			continue
		}
		if f.cleanable {
			drop, err := w.cleanedValue(f.name, f.plan, fv)
			if err != nil {
				return err
			}
			if drop {
				continue
			}
		}
		w.mstack = append(w.mstack, member{field: f, plan: f.plan, v: fv})
	}
	return nil
}

// mapMembers appends every entry of map v. The two common map types are
// read without reflection, which copies each key and value it returns.
func (w *yamlWriter) mapMembers(p *typePlan, v reflect.Value) error {
	if (p.strMap || p.anyMap) && !v.CanInterface() {
		return errEmitFallback
	}
	switch {
	case p.strMap:
		for k, s := range v.Interface().(map[string]string) {
			w.mstack = append(w.mstack, member{key: k, str: s, isStr: true})
		}
	case p.anyMap:
		for k, e := range v.Interface().(map[string]any) {
			w.mstack = append(w.mstack, member{key: k, v: reflect.ValueOf(e)})
		}
	default:
		w.iter.Reset(v)
		for w.iter.Next() {
			w.mstack = append(w.mstack, member{key: w.iter.Key().String(), plan: p.elem, v: w.iter.Value()})
		}
		w.iter.Reset(reflect.Value{})
	}
	return nil
}

// fieldByIndex is v's field at index, or false when an embedded pointer
// on the way is nil (encoding/json skips the field then).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	if len(index) == 1 {
		return v.Field(index[0]), true
	}
	for _, i := range index {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return v, false
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v, true
}

// omitted reports whether encoding/json leaves field f with value v out
// (omitempty, omitzero).
func omitted(f *planField, v reflect.Value) bool {
	if f.omitEmpty && emptyValue(v) {
		return true
	}
	switch f.omitZero {
	case zeroNone:
		return false
	case zeroReflect:
		return v.IsZero()
	case zeroInterface:
		if v.IsNil() || v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil() {
			return true
		}
	case zeroPointer:
		if v.IsNil() {
			return true
		}
	case zeroAddr:
		if !v.CanAddr() {
			boxed := reflect.New(v.Type()).Elem() // as encoding/json does
			boxed.Set(v)
			v = boxed
		}
		v = v.Addr()
	}
	return v.Interface().(interface{ IsZero() bool }).IsZero()
}

// emptyValue is encoding/json's isEmptyValue, which omitempty asks.
func emptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Struct, reflect.Invalid, reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		return false
	}
	return v.IsZero() // bools, numbers, pointers and interfaces
}

type memberSorter struct{ m []member }

func (s *memberSorter) Len() int      { return len(s.m) }
func (s *memberSorter) Swap(i, j int) { s.m[i], s.m[j] = s.m[j], s.m[i] }
func (s *memberSorter) Less(i, j int) bool {
	return keyLessBytes(bytesOf(s.m[i].key), bytesOf(s.m[j].key))
}

// bytesOf is s's bytes without a copy, for the writer's functions on
// []byte, which only read them.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func (w *yamlWriter) typedMapping(start, indent int, inline bool) error {
	end := len(w.mstack)
	for j := start; j < end; j++ {
		if j > start || !inline {
			w.pad(indent)
		}
		m := w.mstack[j] // a copy: nested mappings may grow w.mstack
		n, err := w.typedKey(&m)
		if err != nil {
			return err
		}
		w.buf = append(w.buf, ':')
		if m.isStr {
			err = w.treeString(bytesOf(m.str), indent, indent+n+2, false)
		} else {
			err = w.typedValue(m.plan, m.v, indent, indent+n+2, false)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// typedKey writes m's key and returns its length.
func (w *yamlWriter) typedKey(m *member) (int, error) {
	if m.field != nil {
		if m.field.key == "" {
			return 0, errEmitFallback
		}
		w.buf = append(w.buf, m.field.key...)
		return len(m.field.key), nil
	}
	k := bytesOf(m.key)
	st, text := w.styleOf(k)
	n := scalarLen(k, st, text)
	if st == styleNone || n > simpleKeyLimit {
		return 0, errEmitFallback
	}
	w.appendScalar(k, st, text)
	return n, nil
}

// typedValue writes v after "key:" or "-", as treeValue writes its JSON.
func (w *yamlWriter) typedValue(p *typePlan, v reflect.Value, indent, col int, inSeq bool) error {
	if w.depth++; w.depth > typedDepthLimit {
		return errEmitFallback
	}
	err := w.typedKind(p, v, indent, col, inSeq)
	w.depth--
	return err
}

func (w *yamlWriter) typedKind(p *typePlan, v reflect.Value, indent, col int, inSeq bool) error {
	p, v, null, err := w.deref(p, v)
	switch {
	case err != nil:
		return err
	case null:
		w.buf = append(w.buf, " null\n"...)
		return nil
	}
	switch p.kind {
	case planStruct, planMap:
		return w.typedNested(p, v, indent, inSeq)
	case planSlice, planArray:
		return w.typedSequence(p, v, indent, inSeq)
	case planString:
		return w.treeString(bytesOf(v.String()), indent, col, inSeq)
	case planBool:
		if v.Bool() {
			w.buf = append(w.buf, " true\n"...)
		} else {
			w.buf = append(w.buf, " false\n"...)
		}
		return nil
	case planInt:
		w.buf = append(w.buf, ' ')
		w.buf = strconv.AppendInt(w.buf, v.Int(), 10)
		w.buf = append(w.buf, '\n')
		return nil
	case planUint, planFloat, planBytes:
		return w.typedNumberOrBytes(p, v, indent, col, inSeq)
	}
	return w.typedMarshaled(p, v, indent, col, inSeq)
}

func (w *yamlWriter) typedNested(p *typePlan, v reflect.Value, indent int, inSeq bool) error {
	start := len(w.mstack)
	defer func() { w.mstack = w.mstack[:start] }()
	if err := w.collect(p, v); err != nil {
		return err
	}
	switch {
	case len(w.mstack) == start:
		w.buf = append(w.buf, " {}\n"...)
		return nil
	case inSeq:
		w.buf = append(w.buf, ' ')
		return w.typedMapping(start, indent, true)
	}
	w.buf = append(w.buf, '\n')
	return w.typedMapping(start, indent+2, false)
}

func (w *yamlWriter) typedSequence(p *typePlan, v reflect.Value, indent int, inSeq bool) error {
	n := v.Len()
	switch {
	case n == 0:
		w.buf = append(w.buf, " []\n"...)
		return nil
	case inSeq:
		w.buf = append(w.buf, ' ')
	default:
		w.buf = append(w.buf, '\n')
	}
	for i := range n {
		if i > 0 || !inSeq {
			w.pad(indent)
		}
		w.buf = append(w.buf, '-')
		if err := w.typedValue(p.elem, v.Index(i), indent+2, indent+2, true); err != nil {
			return err
		}
	}
	return nil
}
