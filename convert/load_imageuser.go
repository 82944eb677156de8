package convert

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/types"
)

// InlineDockerfile is ImageUser.Dockerfile for a build.dockerfile_inline.
const InlineDockerfile = "dockerfile_inline"

// ImageUser is the user an image built from `build:` runs as, as the USER
// of its Dockerfile says. Load reads it so that Convert can harden the
// container (runAsNonRoot) without reading the Dockerfile itself.
type ImageUser struct {
	User       string // the USER value, variables expanded ("65532:65532", "app"); "" when unknown
	Dockerfile string // absolute path of the Dockerfile, or InlineDockerfile
	Line       int    // line of that USER instruction
	Why        string // why User is unknown: no USER, an unreadable Dockerfile, an unset ARG...
}

// readImageUsers finds the image user of every service with `build:`. A
// Dockerfile that cannot be read is no error: the user stays unknown, and
// the report says why.
func readImageUsers(l *Loaded) {
	l.ImageUsers = map[string]ImageUser{}
	for name, s := range l.Project.Services {
		if s.Build != nil {
			l.ImageUsers[name] = imageUser(s.Build)
		}
	}
}

func imageUser(b *types.BuildConfig) ImageUser {
	src, path, why := dockerfileSource(b)
	if why != "" {
		return ImageUser{Dockerfile: path, Why: why}
	}
	u := dockerfileUser(src, b.Target, resolvedMapping(b.Args))
	return ImageUser{User: u.User, Dockerfile: path, Line: u.Line, Why: u.Why}
}

// dockerfileSource reads the Dockerfile as `docker build` finds it:
// build.dockerfile relative to the context, "Dockerfile" (or, like the
// docker CLI, "dockerfile") by default.
func dockerfileSource(b *types.BuildConfig) (src, path, why string) {
	if b.DockerfileInline != "" {
		return b.DockerfileInline, InlineDockerfile, ""
	}
	name := b.Dockerfile
	if name == "" {
		name = "Dockerfile"
	}
	path = name
	if !filepath.IsAbs(name) {
		if !filepath.IsAbs(b.Context) {
			return "", name, fmt.Sprintf("the build context %s is not a local directory, so berth does not read its Dockerfile", b.Context)
		}
		path = filepath.Join(b.Context, name)
	}
	data, err := readDockerfile(path)
	if errors.Is(err, fs.ErrNotExist) && name == "Dockerfile" {
		if lower, lerr := readDockerfile(filepath.Join(filepath.Dir(path), "dockerfile")); lerr == nil {
			return string(lower), filepath.Join(filepath.Dir(path), "dockerfile"), ""
		}
	}
	if err != nil {
		return "", path, "it cannot be read: " + err.Error()
	}
	return string(data), path, ""
}

// readDockerfile reads at most MaxConfigMapBytes: a larger file is not a
// Dockerfile anyone writes. Errors leave out the path, which the report
// prints already.
func readDockerfile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	switch {
	case err == nil && info.IsDir():
		return nil, errors.New("it is a directory")
	case err == nil && info.Size() > MaxConfigMapBytes:
		return nil, fmt.Errorf("it is %d bytes, more than berth reads (%d)", info.Size(), MaxConfigMapBytes)
	case err == nil:
		var data []byte
		if data, err = os.ReadFile(path); err == nil {
			return data, nil
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return nil, err
}
