package main

import (
	"context"
	"os"
	"path/filepath"

	"berth/convert"
	"berth/internal/gitinfo"

	"github.com/spf13/pflag"
)

// projectFlags are the compose project flags every verb shares, named and
// behaving as in `docker compose`.
type projectFlags struct {
	files    []string
	name     string
	dir      string
	envFiles []string
	profiles []string
	strict   bool
}

func (f *projectFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVarP(&f.files, "file", "f", nil, "compose file (repeatable; default: COMPOSE_FILE or compose.yaml, docker-compose.yml, ...)")
	fs.StringVarP(&f.name, "project-name", "p", "", "project name (default: COMPOSE_PROJECT_NAME or the directory name)")
	fs.StringVar(&f.dir, "project-directory", "", "project directory (default: the first compose file's directory)")
	fs.StringArrayVar(&f.envFiles, "env-file", nil, "environment file (repeatable; default: .env in the project directory)")
	fs.StringArrayVar(&f.profiles, "profile", nil, "profile to enable (repeatable; * for all; default: COMPOSE_PROFILES)")
	fs.BoolVar(&f.strict, "strict", false, "fail on unset variables instead of warning")
}

func (f *projectFlags) loadOptions() convert.LoadOptions {
	return convert.LoadOptions{
		Files: f.files, ProjectName: f.name, ProjectDir: f.dir,
		EnvFiles: f.envFiles, Profiles: f.profiles, Strict: f.strict,
	}
}

func (f *projectFlags) load(ctx context.Context) (*convert.Loaded, error) {
	return convert.Load(ctx, f.loadOptions())
}

// loadToRender loads the project for renderOptions, whose git commit is
// read meanwhile.
func (f *projectFlags) loadToRender(ctx context.Context) (*convert.Loaded, error) {
	if dir := f.projectDirGuess(); dir != "" {
		gitinfo.Prefetch(dir)
	}
	return f.load(ctx)
}

// projectDirGuess is the directory compose-go will most likely make the
// project directory: --project-directory, else the first -f file's, else
// the working directory (where default discovery usually finds the file);
// "" when COMPOSE_FILE names the files.
func (f *projectFlags) projectDirGuess() string {
	dir := f.dir
	switch {
	case dir != "":
	case len(f.files) > 0 && f.files[0] != "-":
		dir = filepath.Dir(f.files[0])
	case len(f.files) == 0 && os.Getenv("COMPOSE_FILE") != "":
		return ""
	default:
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	return abs
}

// renderOptions are the conversion options every render of a loaded project
// starts from: what Load read, and the git commit read the way `berth
// promote` reads it, so that the prod tag policy (git-commit) names the same
// images in `convert`, `diff`, Kustomize and Helm as in what promote
// applies. Convert itself stays pure: the commit is read here.
func renderOptions(loaded *convert.Loaded) convert.Options {
	opts := loaded.Options()
	opts.GitCommit = gitinfo.Commit(loaded.Project.WorkingDir)
	return opts
}
