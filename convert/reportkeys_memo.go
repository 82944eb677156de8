package convert

import (
	"reflect"
	"sync"
)

// memoWalker remembers what an integer type's own MarshalJSON says for each
// value. compose's durations and byte sizes (healthcheck intervals, memory
// limits) repeat across services, and marshaling them (fmt, then json) was
// most of what the key walk allocated. A value method of an integer type
// sees only the integer, so its answer is taken to depend on nothing else.
func memoWalker(t reflect.Type, marshal walker) walker {
	var bits func(reflect.Value) uint64
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits = func(v reflect.Value) uint64 { return uint64(v.Int()) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		bits = reflect.Value.Uint
	default:
		return marshal
	}
	var (
		mu   sync.Mutex
		seen = map[uint64]walkResult{}
	)
	return func(v reflect.Value, depth int) (bool, bool) {
		if !v.CanInterface() {
			return false, false
		}
		key := bits(v)
		mu.Lock()
		r, ok := seen[key]
		mu.Unlock()
		if ok {
			return r.empty, r.ok
		}
		r.empty, r.ok = marshal(v, depth)
		mu.Lock()
		if len(seen) < memoMax {
			seen[key] = r
		}
		mu.Unlock()
		return r.empty, r.ok
	}
}

// memoMax bounds each memo: past it values are marshaled every time.
const memoMax = 4096

type walkResult struct{ empty, ok bool }
