package convert

import (
	"path/filepath"
	"regexp"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"
)

// A file that extends or include names and that is missing fails in
// compose-go as a bare "open /abs/path: no such file or directory".
var reMissingFile = regexp.MustCompile(`^open (.+): no such file or directory$`)

// missingFileError points at the entry that names the missing file, or
// returns nil when no entry does.
func missingFileError(err error, src *sources) *LoadError {
	m := reMissingFile.FindStringSubmatch(err.Error())
	if m == nil || !filepath.IsAbs(m[1]) {
		return nil
	}
	for _, f := range src.allFiles() {
		line, key := findFileRef(src.node(f), "", func(ref string) bool {
			return filepath.Join(filepath.Dir(f), ref) == m[1] || filepath.Join(src.dir, ref) == m[1]
		})
		if line > 0 {
			return &LoadError{File: src.rel(f), Line: line, Key: key, Msg: src.rel(m[1]) + " not found", Kind: ErrMissingFile, Err: err}
		}
	}
	return nil
}

// findFileRef finds the first scalar (not a key) that names the file.
func findFileRef(n *yaml.Node, key string, names func(string) bool) (int, string) {
	if n == nil {
		return 0, ""
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value != "" && names(n.Value) {
			return n.Line, key
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if line, k := findFileRef(n.Content[i+1], joinPath(key, n.Content[i].Value), names); line > 0 {
				return line, k
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			if line, k := findFileRef(item, key+"["+strconv.Itoa(i)+"]", names); line > 0 {
				return line, k
			}
		}
	}
	return 0, ""
}

// missingConfigError points at the first used config whose file is
// missing (docker compose fails on it when the service starts).
func missingConfigError(l *Loaded, src *sources) error {
	if len(l.missingConfigs) == 0 {
		return nil
	}
	slices.Sort(l.missingConfigs)
	name := l.missingConfigs[0]
	e := &LoadError{Key: "configs." + name + ".file", Msg: l.FileErrors[l.Project.Configs[name].File], Kind: ErrMissingFile}
	e.File, e.Line = src.locate(e.Key)
	return e
}
