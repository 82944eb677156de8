package convert

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
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

// unknownKeys validates file against the compose schema and returns, sorted,
// every key the schema does not allow directly under the dotted path parent.
func (s *sources) unknownKeys(file, parent string) []string {
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
	found := map[string]bool{}
	collectUnknown(verr, parent, found)
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
