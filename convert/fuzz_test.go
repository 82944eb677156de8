package convert_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"berth/convert"
	"berth/render"

	"k8s.io/apimachinery/pkg/util/validation"
)

// addSeeds adds every compose file under the given globs to the fuzz corpus.
func addSeeds(f *testing.F, globs ...string) {
	for _, g := range globs {
		files, _ := filepath.Glob(g)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
}

// FuzzConvert feeds compose YAML through everything `berth convert` does:
// load (as compose does), convert, render. Errors are fine; a panic is not.
// Seeds: real files from the corpus (testdata/load/fuzzseed), the loading
// tests' inputs and the fixtures.
func FuzzConvert(f *testing.F) {
	addSeeds(f, "testdata/load/fuzzseed/*.yaml", "testdata/load/*/compose*.yaml",
		"testdata/load/errors/*/compose.yaml", "../fixtures/*/compose.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := convert.Load(context.Background(), convert.LoadOptions{ProjectDir: dir, ProjectName: "fuzz", Environ: []string{}, Profiles: []string{"*"}})
		if err != nil {
			if err.Error() == "" {
				t.Errorf("empty error message")
			}
			return
		}
		for _, env := range []string{"local", "prod"} {
			o := l.Options()
			o.Env = env
			b, err := convert.Convert(l.Project, o)
			if err != nil {
				continue
			}
			if _, err := render.Stream(b.Objects); err != nil {
				t.Errorf("render of a converted project failed: %v", err)
			}
		}
	})
}

// FuzzDNSName: any compose name becomes a valid DNS-1035 label (what a
// Service name must be), the same every time; sanitising twice changes
// nothing, and a valid label of up to 62 characters without "--" is kept
// as it is.
func FuzzDNSName(f *testing.F) {
	for _, s := range []string{"web", "my_app", "My.App", "", "-", "___", "1db", strings.Repeat("a", 80), strings.Repeat("9", 70), "ünï", "a--b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := convert.DNSName(name)
		if errs := validation.IsDNS1035Label(got); len(errs) > 0 {
			t.Fatalf("DNSName(%q) = %q: %v", name, got, errs)
		}
		if again := convert.DNSName(name); again != got {
			t.Fatalf("DNSName(%q) not stable: %q then %q", name, got, again)
		}
		if twice := convert.DNSName(got); twice != got {
			t.Fatalf("DNSName(%q) = %q, but DNSName(%q) = %q", name, got, got, twice)
		}
		if len(name) < 63 && len(validation.IsDNS1035Label(name)) == 0 && !strings.Contains(name, "--") && got != name {
			t.Fatalf("DNSName(%q) = %q; a valid label must be kept", name, got)
		}
	})
}
