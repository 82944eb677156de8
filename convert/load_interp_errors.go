package convert

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// compose-go interpolates every file before validating it, and joins one
// error per failing value, in path order. These turn each into a located,
// readable LoadError: "compose.yaml:5: services.web.deploy.replicas: must be
// a whole number, got """ instead of strconv's "parsing "": invalid syntax".
var (
	reCast          = lazyRegexp(`(?s)^failed to cast to expected type: (.*)$`)
	reStrconv       = lazyRegexp(`^strconv\.(\w+): parsing "(.*)": (.*)$`)
	reBadBool       = lazyRegexp(`(?s)^invalid boolean: (.*)$`)
	reInvalidInterp = lazyRegexp(`(?s)^invalid interpolation format for (\S+?)\.\n.*?\n(.*)$`)
)

// isInterpolationError tells whether a compose-go message is one (or a
// join) of its interpolation errors.
func isInterpolationError(msg string) bool {
	return strings.HasPrefix(msg, "error while interpolating ") || strings.HasPrefix(msg, "invalid interpolation format for ")
}

// interpolationError explains every joined interpolation error: the first
// is the error, the others follow it in Also.
func interpolationError(err error, src *sources) *LoadError {
	var all []*LoadError
	for _, leaf := range leafErrors(err) {
		all = append(all, interpolationLeaf(leaf, src))
	}
	return inFileOrder(all, err, src)
}

// leafErrors flattens errors.Join trees (compose-go joins per mapping, so
// the joins nest).
func leafErrors(err error) []error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range joined.Unwrap() {
		out = append(out, leafErrors(e)...)
	}
	return out
}

func interpolationLeaf(err error, src *sources) *LoadError {
	msg := err.Error()
	e := &LoadError{Msg: msg, Kind: ErrSchema, Err: err}
	if m := reInvalidInterp().FindStringSubmatch(msg); m != nil {
		e.Key = m[1]
		e.Msg = fmt.Sprintf("invalid interpolation format in %q (write $$ for a literal $)", m[2])
	} else if m := reInterpolate().FindStringSubmatch(msg); m != nil {
		e.Key, e.Msg = m[1], m[2]
		if c := reCast().FindStringSubmatch(m[2]); c != nil {
			e.Msg = castMessage(c[1])
		} else {
			e.Kind = ErrRequiredVariable
		}
	}
	if e.Key != "" {
		e.File, e.Line, e.Key = src.locateInterpolated(e.Key)
	}
	return e
}

// castMessage says what value a typed key needed and what it got.
func castMessage(reason string) string {
	if m := reBadBool().FindStringSubmatch(reason); m != nil {
		return fmt.Sprintf("must be true or false, got %q", m[1])
	}
	m := reStrconv().FindStringSubmatch(reason)
	if m == nil {
		return "cannot be converted: " + reason
	}
	want := "a whole number"
	if strings.HasPrefix(m[1], "ParseFloat") {
		want = "a number"
	}
	if strings.HasSuffix(m[3], "out of range") {
		return fmt.Sprintf("must be %s in range, got %q", want, m[2])
	}
	return fmt.Sprintf("must be %s, got %q", want, m[2])
}

// locateInterpolated finds the entry an interpolation path points at. The
// path has "[]" for list items (services.web.ports.[].target): the item
// taken is the first whose value at the rest of the path uses a variable,
// and the key returned names it (services.web.ports[1].target).
func (s *sources) locateInterpolated(path string) (file string, line int, key string) {
	usesVariable := func(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "$") }
	if file, line, key := s.locateWhere(strings.Split(path, "."), usesVariable); line > 0 {
		return file, line, key
	}
	file, line = s.locate(strings.ReplaceAll(path, ".[]", ""))
	return file, line, strings.ReplaceAll(path, ".[]", "[]")
}

// locateWhere finds, in the first file that has it, the node at path that
// satisfies leaf; a list is indexed by number or, for "[]", searched.
func (s *sources) locateWhere(path []string, leaf func(*yaml.Node) bool) (file string, line int, key string) {
	for _, f := range s.allFiles() {
		if line, key := findWhere(s.node(f), path, "", leaf); line > 0 {
			return s.rel(f), line, key
		}
	}
	return "", 0, ""
}

func findWhere(n *yaml.Node, path []string, key string, leaf func(*yaml.Node) bool) (int, string) {
	if n == nil {
		return 0, ""
	}
	if len(path) == 0 {
		if leaf(n) {
			return n.Line, key
		}
		return 0, ""
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == path[0] {
				return findWhere(n.Content[i+1], path[1:], joinPath(key, path[0]), leaf)
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			if path[0] != "[]" && path[0] != strconv.Itoa(i) {
				continue
			}
			if line, k := findWhere(item, path[1:], key+"["+strconv.Itoa(i)+"]", leaf); line > 0 {
				return line, k
			}
		}
	}
	return 0, ""
}

// addUnsetCause appends, to an error about an empty value, the unset
// variables used on its line: the likely cause.
func addUnsetCause(e *LoadError, unset []string, src *sources) {
	if e.Line == 0 || !strings.HasSuffix(e.Msg, `got ""`) {
		return
	}
	var names []string
	for _, name := range unset {
		if slices.Contains(src.varUsages(name), location{File: e.File, Line: e.Line}) {
			names = append(names, name)
		}
	}
	if len(names) > 0 {
		e.Msg += " " + unsetCause(names)
	}
}

// unsetCause says which variables compose replaced by an empty string.
func unsetCause(names []string) string {
	noun, verb := "variable", "is"
	if len(names) > 1 {
		noun, verb = "variables", "are"
	}
	return fmt.Sprintf("(%s %s %s not set and replaced by an empty string)", noun, strings.Join(names, ", "), verb)
}
