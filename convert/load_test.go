package convert_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"berth/convert"
	"berth/internal/gencompose"
)

// loadCase loads testdata/load/<dir> with a controlled environment:
// project directory = that folder, no OS variables unless given.
func loadCase(t *testing.T, dir string, o convert.LoadOptions) (*convert.Loaded, error) {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("testdata", "load", dir))
	if err != nil {
		t.Fatal(err)
	}
	if o.ProjectDir == "" {
		o.ProjectDir = abs
	}
	for i, f := range o.Files {
		o.Files[i] = filepath.Join(abs, f)
	}
	if o.Environ == nil {
		o.Environ = []string{}
	}
	return convert.Load(context.Background(), o)
}

func mustLoad(t *testing.T, dir string, o convert.LoadOptions) *convert.Loaded {
	t.Helper()
	l, err := loadCase(t, dir, o)
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return l
}

func serviceNames(l *convert.Loaded) string {
	var names []string
	for n := range l.Project.Services {
		names = append(names, n)
	}
	return strings.Join(sortStrings(names), ",")
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

func env(l *convert.Loaded, service, key string) string {
	v := l.Project.Services[service].Environment[key]
	if v == nil {
		return "<unset>"
	}
	return *v
}

func TestLoadMultipleFilesMergeInOrder(t *testing.T) {
	l := mustLoad(t, "multi", convert.LoadOptions{Files: []string{"compose.yaml", "compose.prod.yaml"}})
	web := l.Project.Services["web"]
	if web.Image != "web:2" || env(l, "web", "MODE") != "prod" || len(web.Ports) != 1 {
		t.Errorf("later file must win, earlier keys stay: image %q MODE %q ports %v", web.Image, env(l, "web", "MODE"), web.Ports)
	}
	l = mustLoad(t, "multi", convert.LoadOptions{Files: []string{"compose.prod.yaml", "compose.yaml"}})
	if got := l.Project.Services["web"].Image; got != "web:1" {
		t.Errorf("reversed order: image %q, want web:1", got)
	}
}

func TestLoadComposeFileVariable(t *testing.T) {
	abs, _ := filepath.Abs("testdata/load/multi")
	list := filepath.Join(abs, "compose.yaml") + "|" + filepath.Join(abs, "compose.prod.yaml")
	l := mustLoad(t, "multi", convert.LoadOptions{Environ: []string{"COMPOSE_FILE=" + list, "COMPOSE_PATH_SEPARATOR=|"}})
	if got := l.Project.Services["web"].Image; got != "web:2" {
		t.Errorf("COMPOSE_FILE with separator |: image %q, want web:2", got)
	}
	l = mustLoad(t, "multi", convert.LoadOptions{Files: []string{"compose.yaml"}, Environ: []string{"COMPOSE_FILE=" + list, "COMPOSE_PATH_SEPARATOR=|"}})
	if got := l.Project.Services["web"].Image; got != "web:1" {
		t.Errorf("-f must win over COMPOSE_FILE: image %q, want web:1", got)
	}
}

func TestLoadDefaultFileDiscovery(t *testing.T) {
	l := mustLoad(t, "discovery", convert.LoadOptions{})
	if got := l.Project.Services["web"].Image; got != "web:override" {
		t.Errorf("compose.yaml + compose.override.yaml: image %q, want web:override", got)
	}
	if len(l.Project.ComposeFiles) != 2 {
		t.Errorf("files %v, want compose.yaml and compose.override.yaml", l.Project.ComposeFiles)
	}
}

func TestLoadProjectName(t *testing.T) {
	cases := []struct {
		name    string
		opts    convert.LoadOptions
		dir     string
		want    string
		environ []string
	}{
		{name: "directory", dir: "discovery", want: "discovery"},
		{name: "name in file", dir: "name", want: "from-file"},
		{name: "COMPOSE_PROJECT_NAME beats the file", dir: "name", environ: []string{"COMPOSE_PROJECT_NAME=from-env"}, want: "from-env"},
		{name: "-p beats all", dir: "name", opts: convert.LoadOptions{ProjectName: "flag"}, environ: []string{"COMPOSE_PROJECT_NAME=from-env"}, want: "flag"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Environ = tc.environ
			if got := mustLoad(t, tc.dir, tc.opts).Project.Name; got != tc.want {
				t.Errorf("project name %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLoadDotEnvEnvFileAndServiceEnvFile(t *testing.T) {
	l := mustLoad(t, "envs", convert.LoadOptions{})
	if got := l.Project.Services["web"].Image; got != "web:from-dotenv" {
		t.Errorf(".env: image %q", got)
	}
	if env(l, "web", "FROM_DOTENV") != "hello" || env(l, "web", "APP_LEVEL") != "debug" {
		t.Errorf("environment %v: want FROM_DOTENV=hello (.env) and APP_LEVEL=debug (env_file)", l.Project.Services["web"].Environment)
	}
	abs, _ := filepath.Abs("testdata/load/envs/staging.env")
	l = mustLoad(t, "envs", convert.LoadOptions{EnvFiles: []string{abs}})
	if got := l.Project.Services["web"].Image; got != "web:from-staging" {
		t.Errorf("--env-file: image %q", got)
	}
	if got := env(l, "web", "FROM_DOTENV"); got != "none" {
		t.Errorf("--env-file replaces .env: FROM_DOTENV %q, want the default none", got)
	}
	l = mustLoad(t, "envs", convert.LoadOptions{Environ: []string{"TAG=from-os"}})
	if got := l.Project.Services["web"].Image; got != "web:from-os" {
		t.Errorf("OS environment beats .env: image %q", got)
	}
}

func TestLoadProfiles(t *testing.T) {
	cases := []struct {
		profiles []string
		environ  []string
		want     string
	}{
		{want: "web"},
		{profiles: []string{"debug"}, want: "debug,web"},
		{environ: []string{"COMPOSE_PROFILES=debug, ops"}, want: "admin,debug,web"},
		{profiles: []string{"ops"}, environ: []string{"COMPOSE_PROFILES=debug"}, want: "admin,web"},
		{profiles: []string{"*"}, want: "admin,debug,web"},
	}
	for _, tc := range cases {
		l := mustLoad(t, "profiles", convert.LoadOptions{Profiles: tc.profiles, Environ: tc.environ})
		if got := serviceNames(l); got != tc.want {
			t.Errorf("profiles %v env %v: services %s, want %s", tc.profiles, tc.environ, got, tc.want)
		}
	}
}

func TestLoadExtendsAndInclude(t *testing.T) {
	l := mustLoad(t, "extends", convert.LoadOptions{})
	web := l.Project.Services["web"]
	if web.Image != "base:1" || env(l, "web", "FROM_BASE") != "yes" || env(l, "web", "OWN") != "yes" {
		t.Errorf("extends: image %q env %v", web.Image, web.Environment)
	}
	l = mustLoad(t, "include", convert.LoadOptions{})
	if got := serviceNames(l); got != "cache,web" {
		t.Errorf("include: services %s, want cache,web", got)
	}
}

func TestLoadInterpolationWarnsOncePerUnsetVariable(t *testing.T) {
	l := mustLoad(t, "interp", convert.LoadOptions{})
	var got []string
	for _, w := range l.Warnings {
		got = append(got, w.String())
	}
	want := []string{
		"compose.yaml:8: variable DB_USER is not set; it is replaced by an empty string",
		"compose.yaml:6: variable HOST is not set; it is replaced by an empty string (also used at compose.yaml:11)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	web := l.Project.Services["web"]
	if web.Image != "web:latest" || env(l, "web", "URL") != "http://:80" || env(l, "web", "PRICE") != "$5" {
		t.Errorf("interpolation: image %q URL %q PRICE %q", web.Image, env(l, "web", "URL"), env(l, "web", "PRICE"))
	}
	l = mustLoad(t, "interp", convert.LoadOptions{Environ: []string{"HOST=h", "DB_USER=u"}})
	if len(l.Warnings) != 0 {
		t.Errorf("all set: warnings %v", l.Warnings)
	}
}

func TestLoadStrictFailsOnUnsetVariables(t *testing.T) {
	_, err := loadCase(t, "interp", convert.LoadOptions{Strict: true})
	want := "compose.yaml:8: 2 variables are not set (--strict): DB_USER (compose.yaml:8), HOST (compose.yaml:6, compose.yaml:11)"
	if err == nil || err.Error() != want || !errors.Is(err, convert.ErrUnsetVariable) {
		t.Errorf("error %v\nwant   %s", err, want)
	}
}

// TestLoadErrors asserts the exact text of each loading error: file, line,
// key and compose's message.
func TestLoadErrors(t *testing.T) {
	cases := []struct {
		dir  string
		kind error
		want string
	}{
		{"errors/yaml", convert.ErrYAMLSyntax, "compose.yaml:4: yaml: line 4, column 11: mapping values are not allowed in this context"},
		{"errors/unknown", convert.ErrSchema, `compose.yaml:4: services.web.pors: unknown keys "enviroment", "helthcheck", "pors"`},
		{"errors/cycle", convert.ErrDependencyCycle, "compose.yaml:4: services.a.depends_on.b: dependency cycle detected: a -> b -> c -> a"},
		{"errors/undefined", convert.ErrUndefined, `compose.yaml:5: services.web.volumes.data: service "web" refers to undefined volume data: invalid compose project`},
		{"errors/network", convert.ErrUndefined, `compose.yaml:4: services.web.networks.front: service "web" refers to undefined network front: invalid compose project`},
		{"errors/secret", convert.ErrUndefined, `compose.yaml:5: services.web.secrets.api_key: service "web" refers to undefined secret api_key: invalid compose project`},
		{"errors/config", convert.ErrUndefined, `compose.yaml:4: services.web.configs.nginx_conf: service "web" refers to undefined config nginx_conf: invalid compose project`},
		{"errors/disabled", convert.ErrUndefined, `compose.yaml:5: services.web.depends_on.db: service "web" depends on undefined service "db": invalid compose project ("db" is disabled; enable it with --profile with-db)`},
		{"errors/envfile", convert.ErrMissingEnvFile, "compose.yaml:5: services.web.env_file: env file missing.env not found"},
		{"errors/required", convert.ErrRequiredVariable, "compose.yaml:5: services.web.environment.DB: required variable DB_HOST is missing a value: set DB_HOST to the database host"},
	}
	for _, tc := range cases {
		t.Run(tc.dir, func(t *testing.T) {
			_, err := loadCase(t, tc.dir, convert.LoadOptions{})
			if err == nil {
				t.Fatalf("loaded; want error %s", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tc.want)
			}
			var le *convert.LoadError
			if !errors.As(err, &le) || !errors.Is(err, tc.kind) {
				t.Errorf("error %T is not a *LoadError of kind %v", err, tc.kind)
			}
		})
	}
}

func TestLoadOptionalDependencyOnDisabledService(t *testing.T) {
	l := mustLoad(t, "profiles", convert.LoadOptions{Profiles: []string{"ops"}})
	if got := serviceNames(l); got != "admin,web" {
		t.Errorf("services %s", got)
	}
}

// writeCompose writes content as compose.yaml in a new temporary directory.
func writeCompose(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadCyclesLikeCompose(t *testing.T) {
	cases := []struct {
		name, compose, want string
	}{
		{"self", "services:\n  a:\n    image: x\n    depends_on: [a]\n",
			"compose.yaml:4: services.a.depends_on.a: dependency cycle detected: a -> a"},
		{"through a disabled service is ignored", "services:\n  a:\n    image: x\n    depends_on:\n      b: {condition: service_started, required: false}\n  b:\n    image: x\n    profiles: [p]\n    depends_on: [a]\n", ""},
		{"first in name order", "services:\n  z:\n    image: x\n    depends_on: [y]\n  y:\n    image: x\n    depends_on: [z]\n  b:\n    image: x\n    depends_on: [c]\n  c:\n    image: x\n    depends_on: [b]\n",
			"compose.yaml:10: services.b.depends_on.c: dependency cycle detected: b -> c -> b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeCompose(t, tc.compose)
			_, err := convert.Load(context.Background(), convert.LoadOptions{ProjectDir: dir, Environ: []string{}})
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLoadLargeFile: compose-go caps YAML node visits at 100,000; berth lifts
// the cap in proportion to the file so 5,000 services load.
func TestLoadLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dir := t.TempDir()
	path := writeGenerated(t, dir, 5000, gencompose.Chain)
	l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{path}, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Project.Services) != 5000 {
		t.Errorf("%d services, want 5000", len(l.Project.Services))
	}
}

// TestLoadCapturesComposeWarnings: what compose-go only logs becomes a
// Warning, and nothing is printed.
func TestLoadCapturesComposeWarnings(t *testing.T) {
	dir := writeCompose(t, "version: \"3.8\"\nservices:\n  web:\n    image: web\n")
	l, err := convert.Load(context.Background(), convert.LoadOptions{ProjectDir: dir, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	want := "compose.yaml: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion"
	if len(l.Warnings) != 1 || l.Warnings[0].String() != want {
		t.Errorf("warnings %v, want [%s]", l.Warnings, want)
	}
}

// TestLoadProjectDirectory: --project-directory decides where .env is read
// and what relative paths (env_file here) resolve against, not the file's
// own folder.
func TestLoadProjectDirectory(t *testing.T) {
	file, _ := filepath.Abs("testdata/load/envs/compose.yaml")
	other, _ := filepath.Abs("testdata/load/discovery")
	_, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{file}, ProjectDir: other, Environ: []string{}})
	want := file + ":5: services.web.env_file: env file app.env not found"
	if err == nil || err.Error() != want || !errors.Is(err, convert.ErrMissingEnvFile) {
		t.Errorf("error %v\nwant  %s", err, want)
	}
}
