package convert

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// sources gives errors and warnings their file and line: it reads the
// compose files again, only when something has to be explained, so a
// successful load pays nothing for it.
type sources struct {
	dir    string   // project directory
	files  []string // compose files given to compose-go, in order
	all    []string // files plus what they include or extend, found on demand
	text   map[string][]byte
	nodes  map[string]*yaml.Node
	parsed map[string]bool
}

func newSources(dir string, files []string) *sources {
	return &sources{dir: dir, files: files, text: map[string][]byte{}, nodes: map[string]*yaml.Node{}, parsed: map[string]bool{}}
}

// rel shows a path relative to the project directory when inside it.
func (s *sources) rel(path string) string { return relPath(s.dir, path) }

// relText makes the absolute project paths in a message relative.
func (s *sources) relText(msg string) string {
	if s.dir == "" {
		return msg
	}
	return strings.ReplaceAll(msg, s.dir+string(filepath.Separator), "")
}

func (s *sources) read(file string) []byte {
	if data, ok := s.text[file]; ok {
		return data
	}
	data, err := os.ReadFile(file)
	if err != nil {
		data = nil
	}
	s.text[file] = data
	return data
}

// node returns the file's first YAML document, or nil when it does not parse.
func (s *sources) node(file string) *yaml.Node {
	if s.parsed[file] {
		return s.nodes[file]
	}
	s.parsed[file] = true
	var doc yaml.Node
	if err := yaml.Unmarshal(s.read(file), &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	s.nodes[file] = doc.Content[0]
	return s.nodes[file]
}

// unparsableAbs returns the first compose file that is not valid YAML.
func (s *sources) unparsableAbs() string {
	for _, f := range s.files {
		var doc yaml.Node
		if yaml.Unmarshal(s.read(f), &doc) != nil {
			return f
		}
	}
	return ""
}

// allFiles returns the compose files and, recursively, the files they
// include or extend from.
func (s *sources) allFiles() []string {
	if s.all != nil {
		return s.all
	}
	seen := map[string]bool{}
	var walk func(file string)
	walk = func(file string) {
		if seen[file] || len(seen) > 100 {
			return
		}
		seen[file] = true
		s.all = append(s.all, file)
		for _, ref := range referencedFiles(s.node(file)) {
			if !filepath.IsAbs(ref) {
				ref = filepath.Join(filepath.Dir(file), ref)
			}
			walk(ref)
		}
	}
	for _, f := range s.files {
		walk(f)
	}
	return s.all
}

// referencedFiles lists `include:` paths and `extends.file` of a compose file.
func referencedFiles(root *yaml.Node) []string {
	var out []string
	for _, inc := range seqOrOne(mapValue(root, "include")) {
		if inc.Kind == yaml.ScalarNode {
			out = append(out, inc.Value)
			continue
		}
		for _, p := range seqOrOne(mapValue(inc, "path")) {
			out = append(out, p.Value)
		}
	}
	services := mapValue(root, "services")
	if services != nil && services.Kind == yaml.MappingNode {
		for i := 1; i < len(services.Content); i += 2 {
			if f := mapValue(mapValue(services.Content[i], "extends"), "file"); f != nil && f.Value != "" {
				out = append(out, f.Value)
			}
		}
	}
	return out
}

func seqOrOne(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode {
		return n.Content
	}
	return []*yaml.Node{n}
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// locate finds the first compose file that has the dotted path, and its line.
func (s *sources) locate(path string) (string, int) {
	for _, f := range s.allFiles() {
		if line := findPath(s.node(f), strings.Split(path, ".")); line > 0 {
			return s.rel(f), line
		}
	}
	if len(s.files) > 0 {
		return s.rel(s.files[0]), 0
	}
	return "", 0
}

// locateIn finds the dotted path in one file.
func (s *sources) locateIn(file, path string) (string, int) {
	if path == "" {
		return s.rel(file), 0
	}
	return s.rel(file), findPath(s.node(file), strings.Split(path, "."))
}

// findPath returns the line of the key (or list item) at path, or the line
// of the deepest part of it that exists. Compose joins paths with dots and
// names may hold dots too, so keys are matched on several segments at once.
func findPath(n *yaml.Node, path []string) int {
	if n == nil {
		return 0
	}
	if len(path) == 0 {
		return n.Line
	}
	switch n.Kind {
	case yaml.MappingNode:
		for k := len(path); k >= 1; k-- {
			key := strings.Join(path[:k], ".")
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value != key {
					continue
				}
				if line := findPath(n.Content[i+1], path[k:]); line > 0 && k < len(path) {
					return line
				}
				return n.Content[i].Line
			}
		}
	case yaml.SequenceNode:
		// A schema path indexes the list: ports.0.target.
		if i, err := strconv.Atoi(path[0]); err == nil && i >= 0 && i < len(n.Content) {
			if line := findPath(n.Content[i], path[1:]); line > 0 {
				return line
			}
			return n.Content[i].Line
		}
		for _, item := range n.Content {
			if matchesItem(item, path[0]) {
				return item.Line
			}
		}
	}
	return 0
}

// matchesItem tells whether a list item stands for name: "db" in
// depends_on: [db], "data:/var/lib" in volumes, {source: data}.
func matchesItem(item *yaml.Node, name string) bool {
	switch item.Kind {
	case yaml.ScalarNode:
		return item.Value == name || strings.HasPrefix(item.Value, name+":") || strings.HasPrefix(item.Value, name+"=")
	case yaml.MappingNode:
		for i := 1; i < len(item.Content); i += 2 {
			if item.Content[i].Value == name {
				return true
			}
		}
	}
	return false
}

// locateEnvFile finds the env_file entry that resolves to path (or, when
// the entry uses variables, that has the same base name).
func (s *sources) locateEnvFile(path string) (file string, line int, key string) {
	exact := func(dir, ref string) bool {
		if !filepath.IsAbs(ref) {
			ref = filepath.Join(dir, ref)
		}
		return filepath.Clean(ref) == filepath.Clean(path)
	}
	sameBase := func(_, ref string) bool { return filepath.Base(ref) == filepath.Base(path) }
	for _, match := range []func(dir, ref string) bool{exact, sameBase} {
		if file, line, key = s.findEnvFile(match); file != "" {
			return file, line, key
		}
	}
	return "", 0, ""
}

func (s *sources) findEnvFile(match func(dir, ref string) bool) (file string, line int, key string) {
	s.eachServiceEntry("env_file", func(f, service string, _ int, entry *yaml.Node) bool {
		value := entry
		if entry.Kind == yaml.MappingNode {
			value = mapValue(entry, "path")
		}
		if value != nil && match(filepath.Dir(f), value.Value) {
			file, line, key = s.rel(f), value.Line, "services."+service+".env_file"
			return true
		}
		return false
	})
	return file, line, key
}

// eachServiceEntry calls fn for each entry of the key (a list, or one value)
// of every service in every file, in file order, until fn returns true.
func (s *sources) eachServiceEntry(key string, fn func(file, service string, index int, entry *yaml.Node) bool) {
	for _, f := range s.allFiles() {
		services := mapValue(s.node(f), "services")
		if services == nil || services.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(services.Content); i += 2 {
			for j, entry := range seqOrOne(mapValue(services.Content[i+1], key)) {
				if fn(f, services.Content[i].Value, j, entry) {
					return
				}
			}
		}
	}
}
