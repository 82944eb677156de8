package jsonschema

// berth: tests of the drafts' metaschemas being compiled on first need
// (draft.go, compileDrafts) instead of in init. Upstream's own tests are not
// part of the copy; BERTH.md says how to run them.

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

var draftsCompiledAtStart bool

func TestMain(m *testing.M) {
	// read before any test has compiled a schema: only package init has run
	draftsCompiledAtStart = Draft4.sch != nil || Draft2020.sch != nil
	os.Exit(m.Run())
}

func TestDraftsAreNotCompiledAtInit(t *testing.T) {
	if draftsCompiledAtStart {
		t.Fatal("the drafts' metaschemas were compiled during package init")
	}
}

// draftURLs are the $schema URLs of every draft, as written in schemas.
var draftURLs = []string{
	"http://json-schema.org/draft-04/schema#",
	"http://json-schema.org/draft-06/schema#",
	"http://json-schema.org/draft-07/schema#",
	"https://json-schema.org/draft/2019-09/schema",
	"https://json-schema.org/draft/2020-12/schema",
	"https://json-schema.org/schema", // the latest draft
}

// compileString compiles schema under url with c. Its helpers report with
// t.Error, not t.Fatal: TestConcurrentFirstUse calls them on goroutines.
func compileString(c *Compiler, url, schema string) (*Schema, error) {
	doc, err := UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		return nil, err
	}
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

func validateString(sch *Schema, instance string) error {
	v, err := UnmarshalJSON(strings.NewReader(instance))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

// checkDraft compiles a schema of draft url and checks that it validates
// and rejects as it should, and that an invalid schema of that draft still
// fails the metaschema check.
func checkDraft(t testing.TB, url string) {
	t.Helper()
	schema := fmt.Sprintf(`{"$schema": %q, "type": "object", "required": ["n"],
		"properties": {"n": {"type": "integer", "minimum": 1}, "tag": {"format": "ipv4"}}}`, url)
	sch, err := compileString(NewCompiler(), "file:///berth/schema.json", schema)
	if err != nil {
		t.Errorf("%s: %v", url, err)
		return
	}
	if err := validateString(sch, `{"n": 2}`); err != nil {
		t.Errorf("%s: valid instance rejected: %v", url, err)
	}
	for _, bad := range []string{`{"n": 0}`, `{"n": "2"}`, `{}`, `[]`} {
		var verr *ValidationError
		if err := validateString(sch, bad); !errors.As(err, &verr) {
			t.Errorf("%s: %s: got %v, want a *ValidationError", url, bad, err)
		}
	}

	invalid := fmt.Sprintf(`{"$schema": %q, "type": 5, "properties": {"n": {"minimum": "one"}}}`, url)
	var serr *SchemaValidationError
	if _, err := compileString(NewCompiler(), "file:///berth/invalid.json", invalid); !errors.As(err, &serr) {
		t.Errorf("%s: invalid schema: got %v, want a *SchemaValidationError", url, err)
	}
}

func TestDraftsCompiledOnFirstUse(t *testing.T) {
	for _, url := range draftURLs {
		checkDraft(t, url)
	}
	for _, d := range []*Draft{Draft4, Draft6, Draft7, Draft2019, Draft2020} {
		if d.sch == nil {
			t.Errorf("%s: metaschema not compiled after use", d)
		}
		for name := range d.allVocabs {
			if d.vocabSchemas[name] == nil {
				t.Errorf("%s: vocabulary %s not compiled after use", d, name)
			}
		}
	}
}

// A metaschema of its own that names its vocabularies: its schemas are
// checked against the draft's vocabulary schemas (getVocabs, getSchema),
// here only core and applicator, so "type" is neither checked nor applied.
const vocabMeta = `{
	"$schema": "https://json-schema.org/draft/2020-12/schema",
	"$id": "file:///berth/meta.json",
	"$vocabulary": {
		"https://json-schema.org/draft/2020-12/vocab/core": true,
		"https://json-schema.org/draft/2020-12/vocab/applicator": true
	},
	"$dynamicAnchor": "meta",
	"allOf": [
		{"$ref": "https://json-schema.org/draft/2020-12/meta/core"},
		{"$ref": "https://json-schema.org/draft/2020-12/meta/applicator"}
	]
}`

func checkVocabMeta(t testing.TB) {
	t.Helper()
	c := NewCompiler()
	if _, err := compileString(c, "file:///berth/meta.json", vocabMeta); err != nil {
		t.Error(err)
		return
	}
	sch, err := compileString(c, "file:///berth/vocab.json",
		`{"$schema": "file:///berth/meta.json", "properties": {"n": {"type": 5}}}`)
	if err != nil {
		t.Errorf("no validation vocabulary, yet type checked: %v", err)
		return
	}
	if err := validateString(sch, `{"n": "any"}`); err != nil {
		t.Errorf("no validation vocabulary, yet type applied: %v", err)
	}
	var serr *SchemaValidationError
	if _, err := compileString(c, "file:///berth/bad.json",
		`{"$schema": "file:///berth/meta.json", "properties": {"n": 5}}`); !errors.As(err, &serr) {
		t.Errorf("applicator vocabulary not checked: got %v, want a *SchemaValidationError", err)
	}
}

func TestVocabularyMetaschema(t *testing.T) {
	checkVocabMeta(t)
}

// checkMetaschemas compiles each draft's metaschema from its URL and
// validates schema documents with it. Neither reads the compiled drafts
// (schemas under json-schema.org are not checked against a metaschema).
func checkMetaschemas(t testing.TB) {
	t.Helper()
	for _, url := range draftURLs {
		meta, err := NewCompiler().Compile(url)
		if err != nil {
			t.Errorf("%s: %v", url, err)
			continue
		}
		if err := validateString(meta, `{"type": "object", "properties": {"n": {"minimum": 1}}}`); err != nil {
			t.Errorf("%s: valid schema rejected: %v", url, err)
		}
		if err := validateString(meta, `{"type": 5, "properties": {"n": {"minimum": "one"}}}`); err == nil {
			t.Errorf("%s: invalid schema accepted", url)
		}
	}
}

func TestValidateAgainstMetaschema(t *testing.T) {
	checkMetaschemas(t)
}

// TestConcurrentFirstUse runs itself in a new process, where nothing has
// compiled the drafts yet, and there uses them from many goroutines at once
// (run it with -race).
func TestConcurrentFirstUse(t *testing.T) {
	if os.Getenv("BERTH_JSONSCHEMA_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentFirstUse$", "-test.count=1")
		cmd.Env = append(os.Environ(), "BERTH_JSONSCHEMA_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	if draftsCompiledAtStart || Draft7.sch != nil {
		t.Fatal("drafts already compiled in the new process")
	}
	checkMetaschemas(t)
	if Draft7.sch != nil {
		t.Fatal("compiling and using a metaschema compiled the drafts")
	}
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		i := i // go 1.21 (this module's go.mod): one i for all iterations
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch i % 3 {
			case 0:
				checkDraft(t, draftURLs[i%len(draftURLs)])
			case 1:
				checkVocabMeta(t)
			default:
				// the metaschema is only added, not compiled: compiling a schema
				// of it reads the names of the draft's vocabularies (getVocabs)
				// before anything waits for the drafts, which another goroutine
				// may be compiling
				c := NewCompiler()
				doc, err := UnmarshalJSON(strings.NewReader(vocabMeta))
				if err == nil {
					err = c.AddResource("file:///berth/meta.json", doc)
				}
				if err == nil {
					_, err = compileString(c, "file:///berth/vocab.json", `{"$schema": "file:///berth/meta.json"}`)
				}
				if err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}
