package convert_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"berth/convert"
)

// TestLoadErrorsStable loads every failing fixture many times: compose-go
// picks among equally specific schema errors in Go map order, berth must
// always print the same one.
func TestLoadErrorsStable(t *testing.T) {
	t.Parallel()
	for _, dir := range fixtureDirs(t) {
		if _, err := os.Stat(filepath.Join(dir, "want", "error.txt")); err != nil {
			continue
		}
		_, _, first := loadFixture(t, dir, "")
		for i := 0; i < 20; i++ {
			if _, _, err := loadFixture(t, dir, ""); err == nil || first == nil || err.Error() != first.Error() {
				t.Fatalf("%s: load %d fails with\n%v\nload 0 with\n%v", dir, i+1, err, first)
			}
		}
	}
}

// TestLoadYAMLErrorLines checks the lines of YAML errors: the YAML library
// counts parser errors' lines from 0, berth from 1 like an editor.
func TestLoadYAMLErrorLines(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, compose, want string }{
		{"flow sequence", "services:\n  web:\n    image: x\n    ports: [80\n  db:\n    image: y\n",
			"compose.yaml:5: yaml: while parsing a flow sequence at line 4, column 12: line 5, column 5: did not find expected ',' or ']'"},
		{"block mapping", "services:\n  web:\n    image: x\n   bad: 1\n",
			"compose.yaml:4: yaml: while parsing a block mapping at line 2, column 3: line 4, column 4: did not find expected key"},
		{"context on line 1", "a:\n  b: 1\n c: 2\n",
			"compose.yaml:3: yaml: while parsing a block mapping at line 1: line 3, column 2: did not find expected key"},
		{"scanner error", "services:\n  web:\n    image: \"x\n",
			"compose.yaml:4: yaml: while scanning a quoted scalar at line 3, column 12: line 4: found unexpected end of stream"},
		{"duplicate key", "services:\n  web:\n    image: x\n  web:\n    image: y\n",
			`compose.yaml:4: services.web: yaml: mapping key "web" already defined at line 2`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			file := filepath.Join(dir, "compose.yaml")
			if err := os.WriteFile(file, []byte(c.compose), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{file}, Environ: []string{}})
			if err == nil {
				t.Fatal("loaded, want a YAML error")
			}
			if got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""); got != c.want {
				t.Errorf("error\n got: %s\nwant: %s", got, c.want)
			}
		})
	}
}
