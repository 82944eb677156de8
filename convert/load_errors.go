package convert

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Sentinel errors a caller can branch on with errors.Is; every LoadError
// wraps one of them.
var (
	ErrYAMLSyntax       = errors.New("yaml syntax error")
	ErrSchema           = errors.New("invalid compose key or value")
	ErrRequiredVariable = errors.New("required variable not set")
	ErrUnsetVariable    = errors.New("variable not set")
	ErrMissingEnvFile   = errors.New("env_file not found")
	ErrMissingFile      = errors.New("referenced file not found")
	ErrUndefined        = errors.New("undefined reference")
	ErrDependencyCycle  = errors.New("dependency cycle")
	ErrInconsistent     = errors.New("inconsistent compose project")
	ErrLoad             = errors.New("cannot load compose project")
)

// LoadError is a compose loading problem with where it comes from:
// "compose.yaml:12: services.web.depends_on: ...". File, Line and Key are
// empty when compose-go does not tell and berth cannot find them.
type LoadError struct {
	File string // compose file, relative to the project directory when inside it
	Line int    // 1-based line in File, 0 when unknown
	Key  string // dotted compose path, e.g. services.web.depends_on
	Msg  string
	Kind error // one of the sentinels above
	Err  error // the compose-go error, when there is one
	// Also holds the other problems compose-go found at once (it reports
	// every value interpolation could not use), one line each.
	Also []*LoadError
}

func (e *LoadError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	for _, also := range e.Also {
		b.WriteString("\n" + also.Error())
	}
	return b.String()
}

// Unwrap lets errors.Is match both the sentinel and compose-go's error.
func (e *LoadError) Unwrap() []error {
	var out []error
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

var (
	reYAML        = lazyRegexp(`(?s)^failed to parse (.+?): (yaml: .*)$`)
	reYAMLLine    = lazyRegexp(`line (\d+)`)
	reSchema      = lazyRegexp(`(?s)^validating (.+?): (\S*) (.*)$`)
	reInterpolate = lazyRegexp(`(?s)^error while interpolating (\S+): (.*)$`)
	reEnvFile     = lazyRegexp(`^env file (.+?) not found: `)
	reQuotedList  = lazyRegexp(`'[^']*'(?:, '[^']*')+`)
)

// explainLoadError turns a compose-go loading error into a LoadError that
// names the file, the line and the key.
func explainLoadError(err error, src *sources) error {
	var le *LoadError
	if errors.As(err, &le) {
		if le.File == "" && len(src.files) == 1 {
			le.File = src.rel(src.files[0])
		}
		return le
	}
	msg := err.Error()
	if m := reYAML().FindStringSubmatch(msg); m != nil {
		return yamlError(err, src, m[1], m[2])
	}
	if strings.HasPrefix(msg, "yaml: ") {
		// compose-go's first pass (looking for `name:`) does not say which file.
		return yamlError(err, src, src.unparsableAbs(), msg)
	}
	if m := reSchema().FindStringSubmatch(msg); m != nil {
		return schemaError(err, src, m[1], m[2], m[3])
	}
	if isInterpolationError(msg) {
		return interpolationError(err, src)
	}
	if reDecoding().MatchString(msg) {
		return decodingError(err, src)
	}
	if e := portSyntaxError(err, src); e != nil {
		return e
	}
	if e := missingFileError(err, src); e != nil {
		return e
	}
	if e := placeError(err, src); e != nil {
		return e
	}
	if m := reEnvFile().FindStringSubmatch(msg); m != nil {
		e := &LoadError{Msg: fmt.Sprintf("env file %s not found", src.rel(m[1])), Kind: ErrMissingEnvFile, Err: err}
		e.File, e.Line, e.Key = src.locateEnvFile(m[1])
		return e
	}
	return &LoadError{Msg: src.relText(msg), Kind: ErrLoad, Err: err}
}

// schemaError explains a JSON-schema failure. compose-go reports one
// unknown key picked at random among several; berth validates the file
// again, lists all unknown keys of that mapping sorted, and points at the
// one that comes first in the file.
func schemaError(err error, src *sources, file, path, rest string) error {
	if p, r, ok := src.stableSchemaError(file, path); ok {
		path, rest = p, r
	}
	e := &LoadError{File: src.rel(file), Key: path, Msg: sortQuotedList(rest), Kind: ErrSchema, Err: err}
	parent, unknown := path, rest == "false schema"
	if unknown {
		parent = parentPath(path)
	} else if strings.HasPrefix(rest, "additional properties") {
		unknown = true
	}
	if unknown {
		if keys := src.unknownKeys(file, parent); len(keys) > 0 {
			e.Key = joinPath(parent, src.firstInFile(file, parent, keys))
			e.Msg = "unknown key " + quoteKeys(keys)
			if len(keys) > 1 {
				e.Msg = "unknown keys " + quoteKeys(keys)
			}
		}
	}
	_, e.Line = src.locateIn(file, e.Key)
	if e.Key == "" {
		e.Key = "(top level)"
	}
	return e
}

func quoteKeys(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(k)
	}
	return strings.Join(q, ", ")
}

// sortQuotedList sorts a list like 'b', 'a' inside a message, which
// compose-go prints in map order.
func sortQuotedList(msg string) string {
	return reQuotedList().ReplaceAllStringFunc(msg, func(list string) string {
		items := strings.Split(list, ", ")
		sort.Strings(items)
		return strings.Join(items, ", ")
	})
}

func parentPath(path string) string {
	if i := strings.LastIndex(path, "."); i >= 0 {
		return path[:i]
	}
	return ""
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// relPath shows path relative to dir when it is inside it.
func relPath(dir, path string) string {
	if dir == "" || !filepath.IsAbs(path) {
		return path
	}
	if rel, err := filepath.Rel(dir, path); err == nil && insideDir(dir, path) {
		return rel
	}
	return path
}
