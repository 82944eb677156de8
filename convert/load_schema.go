package convert

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"
)

// The compose schema, compiled once, only when a schema error has to be
// explained.
var (
	composeSchemaOnce sync.Once
	composeSchema     *jsonschema.Schema
)

func compiledComposeSchema() *jsonschema.Schema {
	composeSchemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema.Schema))
		if err != nil {
			return
		}
		c := jsonschema.NewCompiler()
		if c.AddResource("compose-spec.json", doc) != nil {
			return
		}
		composeSchema, _ = c.Compile("compose-spec.json")
	})
	return composeSchema
}

// validate validates file against the compose schema, nil when it passes
// (or cannot be checked).
func (s *sources) validate(file string) *jsonschema.ValidationError {
	sch := compiledComposeSchema()
	if sch == nil {
		return nil
	}
	var raw any
	if err := yaml.Unmarshal(s.read(file), &raw); err != nil {
		return nil
	}
	instance, err := jsonCompatible(raw)
	if err != nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(sch.Validate(instance), &verr) {
		return nil
	}
	return verr
}

// stableSchemaError makes compose-go's schema error deterministic. Of
// several errors equally specific (as compose-go ranks them: the deepest),
// compose-go reports the one it meets first while walking Go maps, so a
// file with two bad services fails on either. berth validates the file
// again and, when compose-go's error is among the most specific ones,
// reports the first of them in the file instead. It returns the path and
// message in compose-go's words.
func (s *sources) stableSchemaError(file, path string) (string, string, bool) {
	verr := s.validate(file)
	if verr == nil {
		return "", "", false
	}
	var all []*jsonschema.ValidationError
	collectLeaves(verr, &all)
	if !slices.ContainsFunc(all, func(l *jsonschema.ValidationError) bool { return strings.Join(l.InstanceLocation, ".") == path }) {
		return "", "", false
	}
	leaves := withoutUnevaluatedNoise(all)
	best := -1
	for _, l := range leaves {
		best = max(best, schemaSpecificity(l))
	}
	type candidate struct {
		path string
		line int
		err  *jsonschema.ValidationError
	}
	var cands []candidate
	for _, l := range leaves {
		if schemaSpecificity(l) != best {
			continue
		}
		p := strings.Join(l.InstanceLocation, ".")
		at := l.InstanceLocation
		if ap, ok := l.ErrorKind.(*kind.AdditionalProperties); ok && len(ap.Properties) > 0 {
			at = strings.Split(joinPath(p, s.firstInFile(file, p, ap.Properties)), ".")
		}
		cands = append(cands, candidate{p, findPath(s.node(file), at), l})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].line != cands[j].line {
			return cands[i].line < cands[j].line
		}
		return cands[i].path < cands[j].path
	})
	c := cands[0]
	return c.path, schemaMessageAt(c.err, leaves), true
}

// withoutUnevaluatedNoise drops the "false schema" errors that a service's
// unevaluatedProperties gives every key of it once any of its values is
// wrong (`command: 42` also fails `image` there): they say "unknown key"
// of keys that are known. Such an error is kept only when nothing else
// fails inside the same mapping, which is when the key really is unknown.
func withoutUnevaluatedNoise(leaves []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	var out []*jsonschema.ValidationError
	for _, l := range leaves {
		if !isFalseSchema(l) || !otherErrorUnder(leaves, l.InstanceLocation[:len(l.InstanceLocation)-1]) {
			out = append(out, l)
		}
	}
	return out
}

func isFalseSchema(l *jsonschema.ValidationError) bool {
	_, ok := l.ErrorKind.(*kind.FalseSchema)
	return ok && len(l.InstanceLocation) > 0
}

func otherErrorUnder(leaves []*jsonschema.ValidationError, parent []string) bool {
	return slices.ContainsFunc(leaves, func(o *jsonschema.ValidationError) bool {
		return !isFalseSchema(o) && len(o.InstanceLocation) > len(parent) && slices.Equal(o.InstanceLocation[:len(parent)], parent)
	})
}

func collectLeaves(e *jsonschema.ValidationError, out *[]*jsonschema.ValidationError) {
	if len(e.Causes) == 0 {
		*out = append(*out, e)
		return
	}
	for _, c := range e.Causes {
		collectLeaves(c, out)
	}
}

// schemaSpecificity ranks errors as compose-go's getMostSpecificError does.
func schemaSpecificity(e *jsonschema.ValidationError) int {
	if _, ok := e.ErrorKind.(*kind.AdditionalProperties); ok {
		return len(e.InstanceLocation) + 1
	}
	return len(e.InstanceLocation)
}

// schemaMessageAt words e; when the value fails every alternative of a
// oneOf (`command: 42` is neither null, a string nor a list), it names them
// all where compose-go names one.
func schemaMessageAt(e *jsonschema.ValidationError, leaves []*jsonschema.ValidationError) string {
	if _, ok := e.ErrorKind.(*kind.Type); !ok {
		return schemaMessage(e)
	}
	var want []string
	for _, l := range leaves {
		if t, ok := l.ErrorKind.(*kind.Type); ok && slices.Equal(l.InstanceLocation, e.InstanceLocation) {
			for _, w := range t.Want {
				if !slices.Contains(want, w) {
					want = append(want, w)
				}
			}
		}
	}
	return "must be " + humanType(want...)
}

// schemaMessage words an error as compose-go's validationError does, after
// the path.
func schemaMessage(e *jsonschema.ValidationError) string {
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return "must be " + humanType(k.Want...)
	case *kind.Minimum:
		return fmt.Sprintf("must be greater than or equal to %s", k.Want.Num())
	case *kind.Maximum:
		return fmt.Sprintf("must be less than or equal to %s", k.Want.Num())
	}
	return e.ErrorKind.LocalizedString(message.NewPrinter(language.English))
}

func humanType(want ...string) string {
	names := slices.Clone(want)
	slices.Sort(names)
	for i, w := range names {
		names[i] = typeNames[w]
		if names[i] == "" {
			names[i] = "a " + w
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// typeNames are JSON schema types in compose's words.
var typeNames = map[string]string{
	"object": "a mapping", "array": "a list", "string": "a string", "number": "a number",
	"integer": "a whole number", "boolean": "true or false", "null": "null",
}

// unknownKeys validates file against the compose schema and returns, sorted,
// every key the schema does not allow directly under the dotted path parent.
func (s *sources) unknownKeys(file, parent string) []string {
	verr := s.validate(file)
	if verr == nil {
		return nil
	}
	var leaves []*jsonschema.ValidationError
	collectLeaves(verr, &leaves)
	found := map[string]bool{}
	for _, l := range withoutUnevaluatedNoise(leaves) {
		collectUnknown(l, parent, found)
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// firstInFile returns the key of parent that comes first in file.
func (s *sources) firstInFile(file, parent string, keys []string) string {
	first, firstLine := keys[0], 0
	for _, k := range keys {
		line := findPath(s.node(file), strings.Split(joinPath(parent, k), "."))
		if line > 0 && (firstLine == 0 || line < firstLine) {
			first, firstLine = k, line
		}
	}
	return first
}

func collectUnknown(e *jsonschema.ValidationError, parent string, found map[string]bool) {
	switch k := e.ErrorKind.(type) {
	case *kind.FalseSchema:
		if n := len(e.InstanceLocation); n > 0 && strings.Join(e.InstanceLocation[:n-1], ".") == parent {
			found[e.InstanceLocation[n-1]] = true
		}
	case *kind.AdditionalProperties:
		if strings.Join(e.InstanceLocation, ".") == parent {
			for _, p := range k.Properties {
				found[p] = true
			}
		}
	}
	for _, c := range e.Causes {
		collectUnknown(c, parent, found)
	}
}

// jsonCompatible turns decoded YAML into what the JSON schema validator
// accepts (string keys, JSON numbers), as compose-go does.
func jsonCompatible(v any) (any, error) {
	data, err := json.Marshal(stringKeys(v))
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
}

func stringKeys(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = stringKeys(e)
		}
		return t
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if ks, ok := k.(string); ok {
				out[ks] = stringKeys(e)
			}
		}
		return out
	case []any:
		for i, e := range t {
			t[i] = stringKeys(e)
		}
		return t
	}
	return v
}
