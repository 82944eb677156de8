package convert

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	yaml "go.yaml.in/yaml/v4"
)

// declaredName reads the top-level name of every document the way
// compose-go's loader does (loader.projectName): a parse of the whole file.
func declaredName(content []byte) (string, error) {
	var name string
	dec := yaml.NewDecoder(bytes.NewReader(content))
	for {
		var n struct {
			Name string `yaml:"name"`
		}
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return name, nil
		}
		if err != nil {
			return name, err
		}
		if n.Name != "" {
			name = n.Name
		}
	}
}

// checkNameScan fails when the line scan is sure of a name the parse
// compose-go would have done does not find: the project name would change.
// (When the file does not parse, the load fails later on that anyway.)
func checkNameScan(t *testing.T, content []byte) {
	t.Helper()
	got, sure := loader.ScanName(content)
	if !sure {
		return
	}
	if want, err := declaredName(content); err == nil && got != want {
		t.Fatalf("ScanName = %q, but the file declares %q:\n%s", got, want, content)
	}
}

func TestScanName(t *testing.T) {
	const unsure = "?"
	for content, want := range map[string]string{
		"services:\n  web:\n    image: x\n":        "",
		"name: demo\nservices: {}\n":               "demo",
		"name: ${PROJECT:-demo} # why\nx: 1\n":     "${PROJECT:-demo}",
		"services:\n  a:\n    container_name: x\n": "",
		"\"name\": demo\n":                         unsure,
		"name: \"demo\"\n":                         unsure,
		"name: true\n":                             unsure,
		"name: [a]\n":                              unsure,
		"name: demo\nname: other\n":                unsure,
		"{name: demo}\n":                           unsure,
		"  name: demo\n":                           unsure,
		"x: 1\n---\nname: demo\n":                  unsure,
		"? name\n: demo\n":                         unsure,
		"x: &a\n  name: demo\n<<: *a\n":            unsure,
		"services: {\nname: demo}\n":               unsure,
		"# comment\nversion: \"3\"\r\nservices:\n": "",
		"\ufeffname: demo\n":                       unsure,
		"name : demo\n":                            unsure,
		"x-name: a\nnames: b\n":                    "",
		"services: {a: b,\nname: x\n  }\n":         unsure,
		"x: \"abc\nname: y\n  \"\n":                unsure,
		"version: \"3.8\" # v\nname: x\n":          "x",
		"x: 'a # b'\nname: ${A:?set A}\n":          unsure,
		"x: 'a # b'\nname: ${A:?A}\n":              "${A:?A}",
	} {
		got, sure := loader.ScanName([]byte(content))
		if !sure {
			got = unsure
		}
		if got != want {
			t.Errorf("ScanName(%q) = %q, want %q", content, got, want)
		}
		checkNameScan(t, []byte(content))
	}
}

// FuzzScanName: whatever the bytes, a name the scan is sure of is the one
// the parse reads.
func FuzzScanName(f *testing.F) {
	files, _ := filepath.Glob("../fixtures/*/compose*.y*ml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("name: x\n"))
	f.Add([]byte("services:\n  a: {image: b}\nname: c # d\n"))
	f.Fuzz(func(t *testing.T, content []byte) { checkNameScan(t, content) })
}
