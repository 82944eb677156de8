package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// managedByLine is how every object berth writes is labelled (metadata.labels).
var managedByLine = []byte("\n    app.kubernetes.io/managed-by: berth\n")

// pruneStale removes the .yaml files of dir that are not among written and
// that berth wrote itself (every object in them carries berth's managed-by
// label): the manifests of a service removed from the compose file, or no
// longer in the active profiles, must not linger for `kubectl apply -f dir`
// to apply. Hand-written files in the same directory are kept.
func pruneStale(dir string, written []string) error {
	keep := map[string]bool{}
	for _, f := range written {
		keep[f] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if keep[name] || !e.Type().IsRegular() || !strings.HasSuffix(name, ".yaml") {
			continue
		}
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil || !writtenByBerth(data) {
			continue
		}
		if err := os.Remove(path); err != nil {
			return err
		}
	}
	return nil
}

// writtenByBerth tells whether every document of a YAML stream is an
// object berth labelled as its own.
func writtenByBerth(data []byte) bool {
	if len(bytes.TrimSpace(data)) == 0 {
		return false
	}
	for _, doc := range bytes.Split(data, []byte("\n---\n")) {
		if !bytes.Contains(doc, managedByLine) {
			return false
		}
	}
	return true
}
