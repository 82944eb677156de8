package convert

import (
	"fmt"
	"strings"
	"unicode"

	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/types"
)

// scalarValue is a scalar as compose-go's model holds it after
// interpolation: strings interpolated, numbers and booleans as YAML typed
// them, null as nil. Collections decline.
func (d *fastDecoder) scalarValue(n *fastyaml.Node) any {
	if n.Kind != fastyaml.Scalar {
		d.decline()
		return nil
	}
	if n.Tag == fastyaml.Str {
		return d.interpolate(n.Value)
	}
	return n.Any()
}

// environment reads a list_or_dict as types.MappingWithEquals decodes it.
// A name without a value takes the project environment's, as compose-go's
// normalization gives it to every service, enabled by profiles or not (it
// stays nil when the environment has none).
func (d *fastDecoder) environment(n *fastyaml.Node) types.MappingWithEquals {
	out := types.MappingWithEquals{}
	d.eachListOrDict(n, func(key string, value *string, listed bool) {
		if listed && key != "" && unicode.IsSpace(rune(key[len(key)-1])) {
			d.decline() // compose-go's "declared with a trailing space"
		}
		if found, ok := d.in.Environment[key]; ok && value == nil {
			value = &found
		}
		out[key] = value
	})
	return out
}

// labels reads a list_or_dict as types.Labels decodes it: no value is "".
func (d *fastDecoder) labels(n *fastyaml.Node) types.Labels {
	out := types.Labels{}
	d.eachListOrDict(n, func(key string, value *string, _ bool) {
		out[key] = ""
		if value != nil {
			out[key] = *value
		}
	})
	return out
}

// eachListOrDict walks a mapping of names to scalars, or a list of
// NAME=VALUE strings (listed), giving each value as compose-go's mapping
// types read it: nil for null or a bare NAME, other scalars as text.
func (d *fastDecoder) eachListOrDict(n *fastyaml.Node, fn func(key string, value *string, listed bool)) {
	switch n.Kind {
	case fastyaml.Mapping:
		eachEntry(n, func(key string, value *fastyaml.Node) {
			if key == "" {
				d.decline() // the schema's pattern .+
			}
			v := d.scalarValue(value)
			if v == nil {
				fn(key, nil, false)
				return
			}
			s := fmt.Sprint(v)
			fn(key, &s, false)
		})
	case fastyaml.Sequence:
		d.eachKeyValue(n, func(key, value string, hasValue bool) {
			if !hasValue {
				fn(key, nil, true)
				return
			}
			fn(key, &value, true)
		})
	default:
		d.decline()
	}
}

// eachKeyValue walks a list of KEY=VALUE strings that has no two entries
// for one key (compose-go's unicity merge would fold them; the schema
// refuses equal items).
func (d *fastDecoder) eachKeyValue(n *fastyaml.Node, fn func(key, value string, hasValue bool)) {
	seen := make(map[string]bool, len(n.Content))
	for i := range n.Content {
		key, value, ok := strings.Cut(d.str(&n.Content[i]), "=")
		if seen[key] {
			d.decline()
		}
		seen[key] = true
		fn(key, value, ok)
	}
}

// expose reads a list of ports or ranges (strings or numbers).
func (d *fastDecoder) expose(n *fastyaml.Node) types.StringOrNumberList {
	return types.StringOrNumberList(d.textList(n))
}

// textList reads a non-empty list of strings or integers, integers as
// text, with no item twice (the schema's uniqueItems).
func (d *fastDecoder) textList(n *fastyaml.Node) []string {
	return d.uniqueList(n, d.text, func(s string) string { return s })
}

// text reads a string or an integer scalar, an integer as text.
func (d *fastDecoder) text(n *fastyaml.Node) string {
	v := d.scalarValue(n)
	switch v.(type) {
	case string, int:
	default:
		d.decline()
	}
	return fmt.Sprint(v)
}

// dependsOn reads the list form (started, required) or the map form, whose
// entries the schema requires to name a condition.
func (d *fastDecoder) dependsOn(n *fastyaml.Node) types.DependsOnConfig {
	out := types.DependsOnConfig{}
	switch n.Kind {
	case fastyaml.Sequence:
		for _, name := range d.stringList(n) {
			out[d.name(name)] = types.ServiceDependency{Condition: types.ServiceConditionStarted, Required: true}
		}
	case fastyaml.Mapping:
		eachEntry(n, func(key string, value *fastyaml.Node) {
			out[d.name(key)] = d.dependency(value)
		})
	default:
		d.decline()
	}
	return out
}

var dependencyConditions = map[string]bool{
	types.ServiceConditionStarted:               true,
	types.ServiceConditionHealthy:               true,
	types.ServiceConditionCompletedSuccessfully: true,
}

func (d *fastDecoder) dependency(n *fastyaml.Node) types.ServiceDependency {
	dep := types.ServiceDependency{Required: true}
	if !d.mapping(n) {
		return dep
	}
	eachEntry(n, func(key string, value *fastyaml.Node) {
		switch key {
		case "condition":
			dep.Condition = d.str(value)
			if !dependencyConditions[dep.Condition] {
				d.decline()
			}
		case "required":
			dep.Required = d.castBool(value)
		case "restart":
			dep.Restart = d.castBool(value)
		default:
			d.decline()
		}
	})
	if dep.Condition == "" {
		d.decline()
	}
	return dep
}
