package convert

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// MaxConfigMapBytes is the most a ConfigMap or Secret can hold.
const MaxConfigMapBytes = 1 << 20

// readFiles reads, once, the files the conversion embeds: compose configs,
// secret files and bind-mounted single files inside the project. Configs
// and secrets outside the project directory or over 1 MiB are recorded as
// errors, not read, so the output never depends on the converting machine;
// bind mounts from outside are host paths that only `berth up` mounts.
func readFiles(l *Loaded) {
	l.Files = map[string][]byte{}
	l.FileErrors = map[string]string{}
	l.Dirs = map[string]bool{}
	p := l.Project
	for _, cfg := range p.Configs {
		if cfg.File != "" && !cfg.External {
			readOne(l, p.WorkingDir, cfg.File)
		}
	}
	for _, sec := range p.Secrets {
		if sec.File != "" && !sec.External {
			readOne(l, p.WorkingDir, sec.File)
		}
	}
	for _, s := range p.Services {
		for _, v := range s.Volumes {
			if v.Type == types.VolumeTypeBind && v.Source != "" && insideDir(p.WorkingDir, v.Source) {
				readOne(l, p.WorkingDir, v.Source)
			} else if v.Type == types.VolumeTypeBind && v.Source != "" {
				// a host file such as /etc/localtime: never embedded, only
				// mounted from the host by `berth up`
				l.Dirs[v.Source] = true
			}
		}
	}
}

// notAFile says why path cannot be a config or secret file, or "".
func notAFile(projectDir, path string) string {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return relPath(projectDir, path) + " does not exist"
	case info.IsDir():
		return relPath(projectDir, path) + " is a directory, not a file"
	}
	return ""
}

func readOne(l *Loaded, projectDir, path string) {
	if _, done := l.Files[path]; done || l.Dirs[path] || l.FileErrors[path] != "" {
		return
	}
	info, err := os.Stat(path)
	if err != nil || info.IsDir() {
		l.Dirs[path] = true // docker creates a missing bind source as a directory
		return
	}
	if !insideDir(projectDir, path) {
		l.FileErrors[path] = fmt.Sprintf("%s is outside the project directory %s; the manifests must not depend on the converting machine", path, projectDir)
		return
	}
	if info.Size() > MaxConfigMapBytes {
		l.FileErrors[path] = fmt.Sprintf("%s is %d bytes; a ConfigMap holds at most 1 MiB (%d bytes)", path, info.Size(), MaxConfigMapBytes)
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		l.FileErrors[path] = err.Error()
		return
	}
	l.Files[path] = data
}

func insideDir(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
