package fastyaml

import (
	"os"
	"testing"
)

// TestCorpusMatchesYAMLv4 parses every compose file of the fixtures and the
// corpus: what Parse accepts must be what yaml.v4 gives. Set
// FASTYAML_DEBUG=1 to see which files are declined and on which line.
func TestCorpusMatchesYAMLv4(t *testing.T) {
	files := composeFiles(t)
	if len(files) == 0 {
		t.Skip("no compose files found")
	}
	accepted := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		root, declined := parse(data)
		if declined != 0 {
			if os.Getenv("FASTYAML_DEBUG") != "" {
				t.Logf("declined %s:%d: %s", path, declined, lineOf(data, declined))
			}
			continue
		}
		accepted++
		t.Run(path, func(t *testing.T) { checkAgainstYAMLv4(t, data, root) })
	}
	t.Logf("accepted %d of %d compose files", accepted, len(files))
}
