package tree

import (
	"runtime"
	"sort"
	"sync"
)

// berth: the loader walks the whole model several times (interpolation,
// canonical syntax, defaults, relative paths, unicity, schema, decoding),
// one node after the other. Under `services` every entry is its own
// subtree (extends merges into a deep copy of its base), so on a large
// file those steps share the services out over every CPU.

// parallelEntriesMin is the number of services from which a step goes
// parallel: below it the goroutines cost more than they save, and small
// files take upstream's path unchanged.
const parallelEntriesMin = 64

// WalkEntriesInParallel reports whether a step handles the entries of m,
// the mapping at p, on every CPU: the one rule every parallel step obeys.
func WalkEntriesInParallel(p Path, m map[string]any) bool {
	return p == "services" && len(m) >= parallelEntriesMin && runtime.GOMAXPROCS(0) > 1
}

// TransformEntries replaces every entry of m by what fn returns for it,
// on every CPU. When fn fails for several entries, the error of the first
// key in sorted order is returned (a sequential walk of a Go map returns
// whichever it meets first) and m is left partly transformed, as a
// sequential walk leaves it.
func TransformEntries(m map[string]any, p Path, fn func(value any, p Path) (any, error)) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	values := make([]any, len(keys))
	errs := make([]error, len(keys))
	OnEveryCPU(len(keys), func(i int) { values[i], errs[i] = fn(m[keys[i]], p.Next(keys[i])) })
	for i, k := range keys {
		if errs[i] != nil {
			return errs[i]
		}
		m[k] = values[i]
	}
	return nil
}

// OnEveryCPU calls fn(i) for every i in [0, n), spread over GOMAXPROCS
// goroutines, and returns when every call has. berth's parallel loader
// steps share it; fn must write only what belongs to its i.
func OnEveryCPU(n int, fn func(i int)) {
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				fn(i)
			}
		}(w)
	}
	wg.Wait()
}
