package loader

import (
	"fmt"

	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
)

// transformProject is Transform(dict, project) with the services decoded
// in parallel (berth: mapstructure was a third of the time to load a large
// file). Each service is decoded exactly as Transform decodes one element
// of the services map; on any error the whole dict is decoded again the
// upstream way, so errors read as upstream's.
func transformProject(dict map[string]interface{}, project *types.Project) error {
	services, ok := dict["services"].(map[string]interface{})
	if !ok || !tree.WalkEntriesInParallel("services", services) { // small files take upstream's path
		return Transform(dict, project)
	}
	decoded, err := transformServices(services)
	if err != nil {
		return Transform(dict, project)
	}
	rest := make(map[string]interface{}, len(dict))
	for k, v := range dict {
		if k != "services" {
			rest[k] = v
		}
	}
	if err := Transform(rest, project); err != nil {
		return err
	}
	project.Services = decoded
	return nil
}

func transformServices(services map[string]interface{}) (types.Services, error) {
	names := make([]string, 0, len(services))
	for name, v := range services {
		m, ok := v.(map[string]interface{})
		if !ok {
			return nil, fmt.Errorf("service %s is not a mapping", name)
		}
		m["name"] = name // what the nameServices hook does
		names = append(names, name)
	}
	out := make([]types.ServiceConfig, len(names))
	errs := make([]error, len(names))
	tree.OnEveryCPU(len(names), func(i int) { errs[i] = Transform(services[names[i]], &out[i]) })
	result := make(types.Services, len(names))
	for i, name := range names {
		if errs[i] != nil {
			return nil, errs[i]
		}
		result[name] = out[i]
	}
	return result, nil
}
