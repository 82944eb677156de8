package render

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"strconv"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The typed writer's values that are not plain Go data: numbers as
// encoding/json prints them, []byte, the types that marshal themselves,
// and the shapes clean looks at.

// typedNumberOrBytes writes what encoding/json prints for a uint, a
// float or a []byte, as the tree writer writes that JSON.
func (w *yamlWriter) typedNumberOrBytes(p *typePlan, v reflect.Value, indent, col int, inSeq bool) error {
	w.num = w.num[:0]
	switch p.kind {
	case planUint:
		w.num = strconv.AppendUint(w.num, v.Uint(), 10)
	case planFloat:
		var ok bool
		if w.num, ok = jsonFloat(w.num, v.Float(), p.bits); !ok {
			return errEmitFallback // encoding/json refuses NaN and infinities
		}
	default:
		w.num = base64.StdEncoding.AppendEncode(w.num, v.Bytes())
		return w.treeString(w.num, indent, col, inSeq)
	}
	return w.treeNumber(w.num, indent, col, inSeq)
}

// jsonFloat appends f as encoding/json's floatEncoder prints it.
func jsonFloat(dst []byte, f float64, bits int) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if n := len(dst) - start; format == 'e' && n >= 4 && dst[len(dst)-4] == 'e' && dst[len(dst)-3] == '-' && dst[len(dst)-2] == '0' {
		// e-09 is printed e-9
		dst[len(dst)-2] = dst[len(dst)-1]
		dst = dst[:len(dst)-1]
	}
	return dst, true
}

// typedMarshaled writes a value of a type that marshals itself: the
// common ones of manifests without their MarshalJSON, the rest through
// the tree writer on their JSON.
func (w *yamlWriter) typedMarshaled(p *typePlan, v reflect.Value, indent, col int, inSeq bool) error {
	switch p.kind {
	case planQuantity:
		var q resource.Quantity
		if !valueAs(v, &q) {
			return errEmitFallback
		}
		return w.treeString(bytesOf(q.String()), indent, col, inSeq) // what MarshalJSON quotes
	case planIntOrString:
		return w.typedIntOrString(v, indent, col, inSeq)
	case planTime:
		if v.IsZero() {
			w.buf = append(w.buf, " null\n"...)
			return nil
		}
	case planMarshaler:
	default:
		return errEmitFallback
	}
	data, plain, err := marshalValue(p, v)
	switch {
	case err != nil:
		return errEmitFallback
	case plain:
		return w.typedValue(p.plain, v, indent, col, inSeq)
	case data == nil:
		w.buf = append(w.buf, " null\n"...)
		return nil
	}
	return w.subtree(data, func() error { return w.treeValue(0, indent, col, inSeq) })
}

func (w *yamlWriter) typedIntOrString(v reflect.Value, indent, col int, inSeq bool) error {
	var x intstr.IntOrString
	if !valueAs(v, &x) {
		return errEmitFallback
	}
	switch x.Type {
	case intstr.Int:
		w.buf = append(w.buf, ' ')
		w.buf = strconv.AppendInt(w.buf, int64(x.IntVal), 10)
		w.buf = append(w.buf, '\n')
		return nil
	case intstr.String:
		return w.treeString(bytesOf(x.StrVal), indent, col, inSeq)
	}
	return errEmitFallback // MarshalJSON fails on any other type
}

// valueAs copies v into *dst, through its address when it has one (no
// allocation).
func valueAs[T any](v reflect.Value, dst *T) bool {
	switch {
	case !v.CanInterface():
		return false
	case v.CanAddr():
		*dst = *v.Addr().Interface().(*T)
	default:
		*dst = v.Interface().(T)
	}
	return true
}

// marshalValue calls v's MarshalJSON as encoding/json does: through its
// address for a pointer method (plain: v is not addressable, so
// encoding/json writes it as if it had no such method), and not at all
// for a nil pointer (data is nil: null).
func marshalValue(p *typePlan, v reflect.Value) (data []byte, plain bool, err error) {
	if p.addr {
		if !v.CanAddr() {
			return nil, true, nil
		}
		v = v.Addr()
	} else if v.Kind() == reflect.Pointer && v.IsNil() {
		return nil, false, nil
	}
	if !v.CanInterface() {
		return nil, false, errEmitFallback
	}
	m, ok := v.Interface().(json.Marshaler)
	if !ok {
		return []byte("null"), false, nil
	}
	if data, err = m.MarshalJSON(); err != nil || !json.Valid(data) {
		return nil, false, errEmitFallback
	}
	return data, false, nil
}

// subtree parses data into w.tree for write, keeping the tree being
// written, if any, aside.
func (w *yamlWriter) subtree(data []byte, write func() error) error {
	w.tree, w.sub = w.sub, w.tree
	defer func() { w.tree, w.sub = w.sub, w.tree }()
	if w.tree.parse(data) != nil {
		return errEmitFallback
	}
	return write()
}

// cleanedValue reports whether clean drops the member key with value v.
func (w *yamlWriter) cleanedValue(key string, p *typePlan, v reflect.Value) (bool, error) {
	kind, count, err := w.jsonShape(p, v)
	if err != nil {
		return false, err
	}
	return cleanedMember(bytesOf(key), kind, count), nil
}

// jsonShape is the kind of the JSON of v (as jsonNode.kind, but '"' for
// any scalar other than null) and, for an object, its member count.
func (w *yamlWriter) jsonShape(p *typePlan, v reflect.Value) (byte, int, error) {
	p, v, null, err := w.deref(p, v)
	switch {
	case err != nil:
		return 0, 0, err
	case null:
		return 'n', 0, nil
	}
	switch p.kind {
	case planStruct:
		return '{', countFields(p, v), nil
	case planMap:
		return '{', v.Len(), nil
	case planSlice, planArray:
		return '[', v.Len(), nil
	case planTime:
		if v.IsZero() {
			return 'n', 0, nil
		}
	case planMarshaler:
		return w.marshaledShape(p, v)
	case planUnsupported:
		return 0, 0, errEmitFallback
	}
	return '"', 0, nil
}

func (w *yamlWriter) marshaledShape(p *typePlan, v reflect.Value) (byte, int, error) {
	data, plain, err := marshalValue(p, v)
	switch {
	case err != nil:
		return 0, 0, err
	case plain:
		return w.jsonShape(p.plain, v)
	case data == nil:
		return 'n', 0, nil
	}
	var kind byte
	var count int
	err = w.subtree(data, func() error {
		kind, count = w.tree.nodes[0].kind, int(w.tree.nodes[0].count)
		return nil
	})
	return kind, count, err
}

// countFields is the number of members of struct v's JSON, or 1 where
// it has some: clean only asks whether it has none.
func countFields(p *typePlan, v reflect.Value) int {
	if p.alwaysMembers {
		return 1
	}
	base := structBase(v)
	for i := range p.fields {
		f := &p.fields[i]
		if empty, known := knownEmpty(f, base); known {
			if !empty {
				return 1
			}
			continue
		}
		if fv, ok := fieldByIndex(v, f.index); ok && !omitted(f, fv) {
			return 1
		}
	}
	return 0
}
