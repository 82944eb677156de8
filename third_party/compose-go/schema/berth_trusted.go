package schema

import (
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// trustedSchemaURL is where compileSchema puts the embedded compose schema.
// berth: jsonschema validates every schema it compiles against its draft's
// metaschema, except those under json-schema.org (its own); for the
// embedded, never-changing compose schema that check was half the time to
// convert a small file (about 10 ms per process). Under this URL the
// compiler trusts it; CheckEmbeddedSchema does the check instead, once, in
// berth's tests. Error messages do not show schema URLs.
const trustedSchemaURL = "https://json-schema.org/berth/compose-spec.json"

// CheckEmbeddedSchema compiles the embedded schema the way upstream does,
// validated against its metaschema.
func CheckEmbeddedSchema() error {
	compiler, err := schemaCompiler("compose-spec.json")
	if err == nil {
		_, err = compiler.Compile("compose-spec.json")
	}
	return err
}

// schemaCompiler is a compiler holding the embedded schema at url, with
// compose's duration format.
func schemaCompiler(url string) (*jsonschema.Compiler, error) {
	compiler := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(Schema))
	if err != nil {
		return nil, err
	}
	if err := compiler.AddResource(url, doc); err != nil {
		return nil, err
	}
	compiler.RegisterFormat(&jsonschema.Format{Name: "duration", Validate: durationFormatChecker})
	return compiler, nil
}

// Warm compiles the schema now (berth calls it on a goroutine as loading
// starts, so the compilation overlaps reading and parsing the files
// instead of waiting for the first Validate).
func Warm() { _, _ = compileSchema() }
