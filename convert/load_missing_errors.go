package convert

import (
	"path/filepath"
	"strconv"

	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"
)

// A file that extends or include names and that is missing fails in
// compose-go as a bare "open /abs/path: no such file or directory".
var reMissingFile = lazyRegexp(`^open (.+): no such file or directory$`)

// missingFileError points at the entry that names the missing file, or
// returns nil when no entry does.
func missingFileError(err error, src *sources) *LoadError {
	m := reMissingFile().FindStringSubmatch(err.Error())
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

// missingFileWarnings warns of config and secret files that are not there.
// Loading them is not an error for compose (only starting the service is),
// so it is none for berth either: the config's ConfigMap comes out empty
// (the report says so) and `up`/`promote` cannot fill the secret.
func missingFileWarnings(p *types.Project, src *sources) []Warning {
	var out []Warning
	warn := func(section, name, file, why string) {
		if missing := notAFile(p.WorkingDir, file); missing != "" {
			w := Warning{Key: section + "." + name + ".file", Message: section + "." + name + ".file: " + missing + why}
			w.File, w.Line = src.locate(w.Key)
			out = append(out, w)
		}
	}
	for _, name := range sortedKeys(p.Configs) {
		if cfg := p.Configs[name]; cfg.File != "" && !cfg.External {
			warn("configs", name, cfg.File, ": its ConfigMap is empty")
		}
	}
	for _, name := range sortedKeys(p.Secrets) {
		if sec := p.Secrets[name]; sec.File != "" && !sec.External {
			warn("secrets", name, sec.File, ": `berth up` and `berth promote` need it to fill the Secret")
		}
	}
	return out
}
