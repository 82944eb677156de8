package convert

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/compose-spec/compose-go/v2/types"
)

// LoadOptions mirror `docker compose`'s project flags.
type LoadOptions struct {
	Files       []string // -f, in order; empty means COMPOSE_FILE or the default names
	ProjectName string   // -p
	ProjectDir  string   // --project-directory
	EnvFiles    []string // --env-file
	Profiles    []string // --profile; "*" enables all
	Environ     []string // the OS environment (nil means os.Environ())
	Strict      bool     // unset variables are errors instead of warnings

	fastLoad loader.FastLoad // tests: nil means fastLoad; see load_fast_test.go
}

// Warning is a problem that does not stop loading.
type Warning struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Key     string `json:"key,omitempty"`
	Message string `json:"message"`
}

func (w Warning) String() string {
	loc := w.File
	if w.Line > 0 {
		loc = fmt.Sprintf("%s:%d", w.File, w.Line)
	}
	if loc != "" {
		return loc + ": " + w.Message
	}
	return w.Message
}

// Loaded is a project as compose sees it, plus what Convert needs from disk
// (so that Convert itself does no I/O).
type Loaded struct {
	Project     *types.Project
	Warnings    []Warning
	Files       map[string][]byte    // contents of config files and bind-mounted single files, by absolute path
	FileErrors  map[string]string    // why a referenced file could not be used (too big, outside the project)
	Dirs        map[string]bool      // bind-mount sources that are directories (or do not exist yet)
	ImageUsers  map[string]ImageUser // by service with `build:`: the USER its Dockerfile gives the image
	ComposeHash string
}

// Options returns conversion options that carry what Load read.
func (l *Loaded) Options() Options {
	return Options{ComposeHash: l.ComposeHash, Files: l.Files, FileErrors: l.FileErrors, ImageUsers: l.ImageUsers}
}

// Load reads compose files with the same options, in the same order, as
// `docker compose` (see toProjectOptions in docker/compose cmd/compose):
// -f files or COMPOSE_FILE or the default names, --project-directory,
// --env-file or .env (read before and after the files are known),
// COMPOSE_PROFILES, COMPOSE_PROJECT_NAME, then extends, include,
// interpolation and env_file as compose-go does them. compose-go's
// consistency check is replaced by berth's (load_consistency.go), which
// finds depends_on cycles in linear time. Errors are *LoadError.
func Load(ctx context.Context, o LoadOptions) (*Loaded, error) {
	var (
		p   *types.Project
		src *sources
	)
	logs, err := captureLogs(func() error {
		popts, err := projectOptions(o, o.fast())
		if err != nil {
			return optionsError(err, o)
		}
		dir, _ := popts.GetWorkingDir()
		src = newSources(dir, absFiles(popts.ConfigPaths))
		p, err = loadProject(ctx, popts)
		if err != nil {
			return explainLoadError(err, src)
		}
		return nil
	})
	if err != nil {
		return nil, explainWithUnset(err, logs, src)
	}
	warnings, unset := logWarnings(logs, src)
	if err := checkConsistency(p, src); err != nil {
		return nil, err
	}
	if o.Strict && len(unset) > 0 {
		return nil, unsetError(unset, src)
	}
	syncScale(p)
	// docker compose drops the networks, volumes, secrets and configs no
	// active service uses (ToProject, WithoutUnnecessaryResources); in
	// place, as nobody else holds this project (no copy of every service).
	p, _ = types.InPlace(p, func(p *types.Project) (*types.Project, error) { return p.WithoutUnnecessaryResources(), nil })
	l := &Loaded{Project: p, Warnings: warnings}
	l.ComposeHash = composeHash(p)
	readFiles(l)
	l.Warnings = append(l.Warnings, missingFileWarnings(p, src)...)
	readImageUsers(l)
	return l, nil
}

// fast returns the fast path to offer compose-go: when it declines a file,
// compose's schema is compiled on a goroutine while compose-go parses the
// file (a file the fast path takes needs no schema).
func (o LoadOptions) fast() loader.FastLoad {
	fast := o.fastLoad
	if fast == nil {
		fast = fastLoad
	}
	return func(in loader.FastInput) (*types.Project, bool) {
		p, ok := fast(in)
		if !ok {
			go schema.Warm()
		}
		return p, ok
	}
}

// optionsError explains an error found before any compose file is read
// (a .env or --env-file with bad syntax), relative to the project directory.
func optionsError(err error, o LoadOptions) error {
	dir := o.ProjectDir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	if abs, absErr := filepath.Abs(dir); absErr == nil {
		dir = abs
	}
	if e := placeError(err, newSources(dir, nil)); e != nil {
		return e
	}
	return &LoadError{Msg: err.Error(), Kind: ErrLoad, Err: err}
}

// loadProject runs compose-go's loader, turning a panic inside it (a file
// that is just `!reset` crashes v2.16.2) into an error: bad input must
// never crash berth.
func loadProject(ctx context.Context, popts *cli.ProjectOptions) (p *types.Project, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, &LoadError{Msg: fmt.Sprintf("compose-go cannot load this file (it crashed: %v)", r), Kind: ErrLoad}
		}
	}()
	return popts.LoadProject(ctx)
}

// projectOptions mirrors docker compose's toProjectOptions, option for
// option, plus berth's consistency check in place of compose-go's.
func projectOptions(o LoadOptions, fast loader.FastLoad) (*cli.ProjectOptions, error) {
	environ := o.Environ
	if environ == nil {
		environ = os.Environ()
		// docker compose sets PWD itself: the shell's is not always right.
		if pwd, err := os.Getwd(); err == nil {
			environ = append(environ, "PWD="+pwd)
		}
	}
	popts, err := cli.NewProjectOptions(o.Files,
		cli.WithWorkingDirectory(o.ProjectDir),
		cli.WithEnv(environ),
		cli.WithEnvFiles(o.EnvFiles...),
		cli.WithDotEnv,
		cli.WithConfigFileEnv,
		cli.WithDefaultConfigPath,
		cli.WithEnvFiles(o.EnvFiles...),
		cli.WithDotEnv,
		cli.WithDefaultProfiles(o.Profiles...),
		cli.WithName(o.ProjectName),
		cli.WithResolvedPaths(true),
		cli.WithConsistency(false),
	)
	if err != nil {
		return nil, err
	}
	visits := nodeVisitLimit(popts.ConfigPaths)
	err = cli.WithLoadOptions(func(lo *loader.Options) {
		lo.MaxNodeVisits = visits
		lo.FastLoad = fast
	})(popts)
	return popts, err
}

// nodeVisitLimit lifts compose-go's cap on YAML node visits (100,000, there
// to stop alias bombs) for large files: a file without aliases has fewer
// nodes than bytes, and a cap proportional to the input still stops a bomb.
func nodeVisitLimit(files []string) int {
	const composeDefault = 100_000
	total := 0
	for _, f := range files {
		if info, err := os.Stat(f); err == nil {
			total += int(info.Size())
		}
	}
	return max(composeDefault, total)
}

func absFiles(files []string) []string {
	out := make([]string, 0, len(files))
	for _, f := range files {
		if f == "-" {
			continue
		}
		if abs, err := filepath.Abs(f); err == nil {
			f = abs
		}
		out = append(out, f)
	}
	return out
}
