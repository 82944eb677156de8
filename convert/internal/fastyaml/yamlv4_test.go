package fastyaml

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// Compose files of the fixtures and of the shared corpus (which lives
// beside the repository).
const (
	fixturesDir = "../../../fixtures"
	corpusDir   = "../../../../shared/corpus"
)

// composeFiles lists the YAML files of the fixtures (their inputs, not the
// expected manifests under want/) and of the corpus.
func composeFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, root := range []string{fixturesDir, corpusDir} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "want" {
				return filepath.SkipDir
			}
			if ext := filepath.Ext(path); !d.IsDir() && (ext == ".yml" || ext == ".yaml") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	sort.Strings(files)
	return files
}

// checkAgainstYAMLv4 fails the test unless yaml.v4 decodes data without
// error to the value root describes, with the same lines.
func checkAgainstYAMLv4(t *testing.T, data []byte, root Node) {
	t.Helper()
	var want any
	if err := yaml.Unmarshal(data, &want); err != nil {
		t.Fatalf("Parse accepted what yaml.v4 rejects: %v\ninput:\n%s", err, data)
	}
	if diff := valueDiff(root.Any(), want, "$"); diff != "" {
		t.Fatalf("value differs from yaml.v4's at %s\ninput:\n%s", diff, data)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("yaml.v4 into yaml.Node: %v", err)
	}
	if diff := lineDiff(&root, doc.Content[0], "$"); diff != "" {
		t.Fatalf("line differs from yaml.v4's at %s\ninput:\n%s", diff, data)
	}
}

// valueDiff compares strictly: same dynamic types, floats bit for bit (so
// that -0 and 0 differ), nil and empty collections apart.
func valueDiff(got, want any, path string) string {
	if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
		return fmt.Sprintf("%s: got %T %#v, yaml.v4 %T %#v", path, got, got, want, want)
	}
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		if len(g) != len(w) {
			return fmt.Sprintf("%s: got %d keys, yaml.v4 %d", path, len(g), len(w))
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return fmt.Sprintf("%s: key %q missing", path, k)
			}
			if d := valueDiff(gv, wv, path+"."+k); d != "" {
				return d
			}
		}
	case []any:
		g := got.([]any)
		if (g == nil) != (w == nil) || len(g) != len(w) {
			return fmt.Sprintf("%s: got %#v, yaml.v4 %#v", path, g, w)
		}
		for i := range w {
			if d := valueDiff(g[i], w[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case float64:
		if math.Float64bits(got.(float64)) != math.Float64bits(w) {
			return fmt.Sprintf("%s: got %v, yaml.v4 %v", path, got, w)
		}
	default:
		if got != want {
			return fmt.Sprintf("%s: got %#v, yaml.v4 %#v", path, got, want)
		}
	}
	return ""
}

// lineDiff compares the lines of the two trees. yaml.v4's keeps aliases
// and merge keys: an alias copy must have the Line of yaml.v4's alias node
// and then its anchored node's children; a mapping with a merge key must
// have the pairs of mergedPairs, in that order.
func lineDiff(got *Node, want *yaml.Node, path string) string {
	if got.Line != want.Line {
		return fmt.Sprintf("%s: line %d, yaml.v4 %d", path, got.Line, want.Line)
	}
	if got.alias != (want.Kind == yaml.AliasNode) {
		return fmt.Sprintf("%s: alias copy %v, yaml.v4 kind %v", path, got.alias, want.Kind)
	}
	if want.Kind == yaml.AliasNode {
		want = want.Alias
	}
	kids := want.Content
	if want.Kind == yaml.MappingNode {
		kids = mergedPairs(want)
	}
	if len(got.Content) != len(kids) {
		return fmt.Sprintf("%s: %d children, yaml.v4 %d", path, len(got.Content), len(kids))
	}
	for i := range got.Content {
		if d := lineDiff(&got.Content[i], kids[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// mergedPairs gives the pairs of a yaml.v4 mapping node in the order Parse
// promises: its own, then those of the mappings "<<" merges (each merged
// first) whose keys are new. The values are checked separately against
// yaml.v4's decoding; this checks the order and the lines.
func mergedPairs(m *yaml.Node) []*yaml.Node {
	var pairs, sources []*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Tag != "!!merge" {
			seen[m.Content[i].Value] = true
			pairs = append(pairs, m.Content[i], m.Content[i+1])
			continue
		}
		v := resolveAlias(m.Content[i+1])
		sources = []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			sources = v.Content
		}
	}
	for _, s := range sources {
		more := mergedPairs(resolveAlias(s))
		for i := 0; i+1 < len(more); i += 2 {
			if !seen[more[i].Value] {
				seen[more[i].Value] = true
				pairs = append(pairs, more[i], more[i+1])
			}
		}
	}
	return pairs
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}

// lineOf returns line n (1-based) of data, for messages.
func lineOf(data []byte, n int) string {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}
