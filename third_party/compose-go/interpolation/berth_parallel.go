package interpolation

import "github.com/compose-spec/compose-go/v2/tree"

// interpolateEntries is recursiveInterpolate's mapping case with the
// entries (the services of a large file, see tree.WalkEntriesInParallel)
// interpolated on every CPU: the same result, and the same joined error,
// which joinErrors sorts by path whatever order the entries came in.
func interpolateEntries(value map[string]interface{}, path tree.Path, opts Options) (interface{}, error) {
	keys := make([]string, 0, len(value))
	for k := range value {
		keys = append(keys, k)
	}
	results := make([]interface{}, len(keys))
	errs := make([]error, len(keys))
	tree.OnEveryCPU(len(keys), func(i int) {
		results[i], errs[i] = recursiveInterpolate(value[keys[i]], path.Next(keys[i]), opts)
	})
	out := make(map[string]interface{}, len(keys))
	var failed []error
	for i, k := range keys {
		if errs[i] != nil {
			failed = append(failed, errs[i])
			continue
		}
		out[k] = results[i]
	}
	return out, joinErrors(failed)
}
