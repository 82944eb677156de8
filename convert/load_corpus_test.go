package convert_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"berth/convert"
)

// loadExpectation is what compose-go itself does with a corpus case
// (cases.tsv, recorded with an empty environment).
type loadExpectation struct {
	name, files             string
	loads                   bool
	servicesDefault, allSvc int
	unset                   string
	err                     string
}

func readLoadExpectations(t *testing.T) []loadExpectation {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "cases.tsv"))
	if err != nil {
		t.Skipf("corpus not available (%v); it lives beside the repository in ../shared/corpus", err)
	}
	defer f.Close()
	var out []loadExpectation
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 7 || c[0] == "case" {
			continue
		}
		d, _ := strconv.Atoi(c[3])
		a, _ := strconv.Atoi(c[4])
		out = append(out, loadExpectation{name: c[0], files: c[1], loads: c[2] == "yes", servicesDefault: d, allSvc: a, unset: c[5], err: c[6]})
	}
	return out
}

// TestLoadMatchesCompose loads every corpus case as compose-go does and
// checks berth agrees: loads or fails, the same error, the same active
// services with default and with all profiles, the same unset variables.
func TestLoadMatchesCompose(t *testing.T) {
	for _, c := range readLoadExpectations(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, profiles := range [][]string{nil, {"*"}} {
				checkAgainstCompose(t, c, profiles)
			}
		})
	}
}

func checkAgainstCompose(t *testing.T, c loadExpectation, profiles []string) {
	dir, _ := filepath.Abs(filepath.Join(corpusDir, c.name))
	var files []string
	for _, f := range strings.Split(c.files, ",") {
		files = append(files, filepath.Join(dir, f))
	}
	l, err := convert.Load(context.Background(), convert.LoadOptions{Files: files, ProjectDir: dir, Profiles: profiles, Environ: []string{}})
	if !c.loads {
		if err == nil {
			t.Fatalf("compose fails with %q, berth loads it", c.err)
		}
		if !sameComposeError(err.Error(), c.err) {
			t.Errorf("error %q, compose says %q", err, c.err)
		}
		return
	}
	if err != nil {
		t.Fatalf("compose loads it, berth fails: %v", err)
	}
	want := c.servicesDefault
	if profiles != nil {
		want = c.allSvc
	}
	if len(l.Project.Services) != want {
		t.Errorf("profiles %v: %d services, compose has %d", profiles, len(l.Project.Services), want)
	}
	var unset []string
	for _, w := range l.Warnings {
		if strings.Contains(w.Message, "is not set") {
			unset = append(unset, w.Key)
		}
	}
	if got := strings.Join(unset, ","); got != c.unset {
		t.Errorf("unset variables %q, compose warns about %q", got, c.unset)
	}
}

// sameComposeError: berth keeps compose's message and adds the location,
// except for schema errors, which it rewords to list every unknown key.
func sameComposeError(got, want string) bool {
	if strings.Contains(strings.ToLower(got), strings.ToLower(want)) {
		return true
	}
	if _, rest, ok := strings.Cut(want, "additional properties "); ok {
		for _, key := range strings.Split(strings.TrimSuffix(rest, " not allowed"), ", ") {
			if !strings.Contains(got, strconv.Quote(strings.Trim(key, "'"))) {
				return false
			}
		}
		return true
	}
	if _, rest, ok := strings.Cut(want, "validating "); ok {
		file, msg, _ := strings.Cut(rest, ": ")
		path, msg, _ := strings.Cut(msg, " ")
		return strings.HasPrefix(got, file+":") && strings.Contains(got, path+": ") && strings.HasSuffix(got, msg)
	}
	return false
}
