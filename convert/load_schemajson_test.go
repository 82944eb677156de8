package convert

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/compose-spec/compose-go/v2/schema"
	yaml "go.yaml.in/yaml/v4"
)

// FuzzPlainJSONIsTheRoundTrip: compose-go's schema validation now builds
// plain JSON values directly (third_party/compose-go/BERTH.md); whatever
// YAML gives, they equal what encoding the model to JSON and decoding it
// gives, or the direct way declines.
func FuzzPlainJSONIsTheRoundTrip(f *testing.F) {
	for _, s := range []string{
		"services: {web: {image: nginx, ports: [80, \"443:443\"], scale: 2}}",
		"a: [1, 2.5, -3, 18446744073709551615, 9007199254740993, true, null, ~]",
		"x: .nan", "y: -.inf", "t: 2001-12-14t21:59:43.10-05:00", "b: !!binary aGVsbG8=",
		"k: {1: a, true: b}", "s: \"\\xff\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc map[string]any
		if yaml.Unmarshal(data, &doc) != nil || doc == nil {
			return
		}
		direct, ok := schema.PlainJSON(doc)
		if !ok {
			return
		}
		encoded, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("PlainJSON accepted what JSON cannot encode (%v): %q", err, data)
		}
		var roundTrip map[string]any
		if err := json.Unmarshal(encoded, &roundTrip); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(direct, roundTrip) {
			t.Fatalf("PlainJSON = %#v, the JSON round trip gives %#v, for %q", direct, roundTrip, data)
		}
	})
}

// TestEmbeddedSchemaIsValid: compose-go compiles its embedded schema
// without checking it against the metaschema (third_party/compose-go/
// BERTH.md); the check is here instead.
func TestEmbeddedSchemaIsValid(t *testing.T) {
	if err := schema.CheckEmbeddedSchema(); err != nil {
		t.Fatalf("compose-go's embedded schema does not validate against its metaschema: %v", err)
	}
}
