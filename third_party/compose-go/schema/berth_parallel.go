package schema

import (
	"regexp"
	"slices"
	"sync"

	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// berth: validating a large file was one long sequential walk. The root of
// the compose schema constrains `services` only through
// {"patternProperties": {"^[a-zA-Z0-9._-]+$": {"$ref": "#/$defs/service"}},
// "additionalProperties": false}, so the file is valid exactly when the
// file with empty services is, every service name matches that pattern
// and every service is valid against #/$defs/service: validParallel checks
// those parts on every CPU. Any failure answers false and Validate
// validates the whole file as upstream does, for upstream's error.

var (
	serviceNamePattern = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
	serviceSchema      *jsonschema.Schema
	serviceSchemaErr   error
	serviceSchemaOnce  sync.Once
)

func compiledServiceSchema() (*jsonschema.Schema, error) {
	serviceSchemaOnce.Do(func() {
		if _, err := compileSchema(); err != nil {
			serviceSchemaErr = err
			return
		}
		serviceSchema, serviceSchemaErr = serviceCompiler.Compile(trustedSchemaURL + "#/$defs/service")
	})
	return serviceSchema, serviceSchemaErr
}

// validParallel reports whether raw is valid, when it can tell that for
// sure from its parts; false means "validate the whole".
func validParallel(root *jsonschema.Schema, raw map[string]any) bool {
	services, ok := raw["services"].(map[string]any)
	if !ok || !tree.WalkEntriesInParallel("services", services) {
		return false
	}
	service, err := compiledServiceSchema()
	if err != nil {
		return false
	}
	rest := make(map[string]any, len(raw))
	for k, v := range raw {
		rest[k] = v
	}
	rest["services"] = map[string]any{}
	if root.Validate(rest) != nil {
		return false
	}
	return servicesValid(service, services)
}

func servicesValid(service *jsonschema.Schema, services map[string]any) bool {
	names := make([]string, 0, len(services))
	for name := range services {
		if !serviceNamePattern.MatchString(name) {
			return false
		}
		names = append(names, name)
	}
	invalid := make([]bool, len(names))
	tree.OnEveryCPU(len(names), func(i int) { invalid[i] = service.Validate(services[names[i]]) != nil })
	return !slices.Contains(invalid, true)
}
