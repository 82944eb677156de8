package loader

import (
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/compose-spec/compose-go/v2/utils"
)

// FastInput is what a fast loader needs to build the project LoadWithContext
// would: the files' contents, the working directory, the environment (with
// COMPOSE_PROJECT_NAME set, as interpolation sees it), the project name and
// the profiles. berth: see FastLoad.
type FastInput struct {
	Files       []types.ConfigFile
	WorkingDir  string
	Environment types.Mapping
	ProjectName string
	Profiles    []string
	// Substitute and Lookup are the interpolation's: Substitute(value, Lookup)
	Substitute func(string, template.Mapping) (string, error)
	Lookup     template.Mapping
	// WarnObsoleteVersion is the loader's warning for a top-level version
	WarnObsoleteVersion func(file string)
}

// FastLoad, when set, is offered every load whose options are the ones
// `docker compose` uses (interpolation, normalization, validation, paths
// resolved, environment and labels resolved, no selected services). It
// returns the project as ModelToProject has it before its With* calls (no
// profiles applied, environment and labels unresolved), or ok false when the
// files use anything it does not handle exactly as this loader does: the
// load then goes the usual way, which also gives every error and warning.
// berth: the usual way decodes a 1,000-service file in about 250 ms; berth's
// fast loader (convert/load_fast*.go) reads the common subset of compose
// directly and is checked against this loader by berth's tests.
type FastLoad func(FastInput) (project *types.Project, ok bool)

// fastEligible reports whether the options are the standard ones FastLoad
// is written for.
func (o *Options) fastEligible() bool {
	return o.FastLoad != nil && !o.SkipValidation && !o.SkipInterpolation && !o.SkipNormalization &&
		o.ResolvePaths && !o.ConvertWindowsPaths && !o.SkipExtends && !o.SkipInclude &&
		!o.SkipResolveEnvironment && !o.SkipResolveLabels && !o.SkipDefaultValues && !o.discardEnvFiles &&
		len(o.SelectedServices) == 0 && !o.PruneUnnecessaryResources && len(o.KnownExtensions) == 0 &&
		len(o.Listeners) == 0 && o.UnsupportedAttributesCheck == nil && o.Interpolate != nil &&
		o.Interpolate.Substitute != nil && o.Interpolate.LookupValue != nil
}

// tryFastLoad runs FastLoad when the options allow it, once the project is
// named, and finishes its project the way ModelToProject finishes its own.
func tryFastLoad(details *types.ConfigDetails, opts *Options) *types.Project {
	if !opts.fastEligible() || opts.projectName == "" {
		return nil
	}
	project, ok := opts.FastLoad(FastInput{
		Files:               details.ConfigFiles,
		WorkingDir:          details.WorkingDir,
		Environment:         details.Environment,
		ProjectName:         opts.projectName,
		Profiles:            opts.Profiles,
		Substitute:          opts.Interpolate.Substitute,
		Lookup:              template.Mapping(opts.Interpolate.LookupValue),
		WarnObsoleteVersion: opts.warnObsoleteVersion,
	})
	if !ok {
		return nil
	}
	project, err := types.InPlace(project, func(p *types.Project) (*types.Project, error) {
		p, err := withProfiles(p, opts.Profiles)
		if err != nil {
			return nil, err
		}
		if !opts.SkipConsistencyCheck {
			if err := checkConsistency(p); err != nil {
				return nil, err
			}
		}
		if p, err = p.WithServicesEnvironmentResolved(false); err != nil {
			return nil, err
		}
		return p.WithServicesLabelsResolved(false)
	})
	if err != nil {
		return nil
	}
	return project
}

// ForgetVersionWarnings makes the next load of every file warn about a
// top-level version again (it warns once per file and process). berth: its
// tests load each file twice, with and without FastLoad, and compare.
func ForgetVersionWarnings() {
	versionWarningMu.Lock()
	defer versionWarningMu.Unlock()
	versionWarning = utils.NewSet[string]()
}

// withProfiles is p.WithProfiles(profiles), without copying every service
// into a new map when none declares a profile (all are then enabled).
func withProfiles(p *types.Project, profiles []string) (*types.Project, error) {
	for _, s := range p.Services {
		if len(s.Profiles) > 0 {
			return p.WithProfiles(profiles)
		}
	}
	if p.Jobs != nil || p.DisabledJobs != nil {
		return p.WithProfiles(profiles)
	}
	p.DisabledServices = types.Services{}
	p.Profiles = profiles
	return p, nil
}
