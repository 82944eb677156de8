package render

import (
	"reflect"
	"unsafe"
)

// Most fields of a Kubernetes struct are omitempty and empty (a PodSpec
// has about forty, a container uses a handful): the typed writer tells
// them from the struct's memory, without a reflect.Value for each.

// An emptyTest is how a field's memory shows omitempty's isEmptyValue.
type emptyTest uint8

const (
	emptyByReflect emptyTest = iota // ask emptyValue
	emptyLen                        // a string or slice: its length word
	emptyNilMap                     // a map: nil is empty, else ask emptyValue
	emptyZero                       // bools, integers, pointers, interfaces: all bytes zero
	emptyFloat                      // all bits zero but the sign: -0 == 0 for reflect's IsZero
)

// emptyTestOf is the test for a field of type t, and the bytes it reads.
func emptyTestOf(t reflect.Type) (emptyTest, uintptr) {
	switch t.Kind() {
	case reflect.String, reflect.Slice:
		return emptyLen, 0
	case reflect.Map:
		return emptyNilMap, 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Pointer, reflect.Interface:
		return emptyZero, t.Size()
	case reflect.Float32, reflect.Float64:
		return emptyFloat, t.Size()
	}
	return emptyByReflect, 0
}

// knownEmpty tells from memory whether field f of the struct at base is
// empty under omitempty; known is false where only emptyValue can tell
// (no address, a non-nil map, other kinds).
func knownEmpty(f *planField, base unsafe.Pointer) (empty, known bool) {
	if base == nil {
		return false, false
	}
	p := unsafe.Add(base, f.offset)
	switch f.empty {
	case emptyLen:
		return (*[2]uintptr)(p)[1] == 0, true // string and slice headers keep the length second
	case emptyNilMap:
		isNil := *(*unsafe.Pointer)(p) == nil
		return isNil, isNil // a map's length is not in the struct
	case emptyZero:
		return zeroBytes(p, f.size), true
	case emptyFloat:
		if f.size == 4 {
			return *(*uint32)(p)<<1 == 0, true
		}
		return *(*uint64)(p)<<1 == 0, true
	}
	return false, false
}

func zeroBytes(p unsafe.Pointer, size uintptr) bool {
	switch size {
	case 1:
		return *(*uint8)(p) == 0
	case 2:
		return *(*uint16)(p) == 0
	case 4:
		return *(*uint32)(p) == 0
	case 8:
		return *(*uint64)(p) == 0
	case 16:
		return *(*[2]uint64)(p) == [2]uint64{}
	}
	return false
}

// structBase is the address of struct v's memory, or nil if it has none
// (then every field goes through reflect).
func structBase(v reflect.Value) unsafe.Pointer {
	if !v.CanAddr() {
		return nil
	}
	return unsafe.Pointer(v.UnsafeAddr())
}
