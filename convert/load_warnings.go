package convert

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/sirupsen/logrus"
	"gopkg.in/yaml.v3"
)

// compose-go reports some problems only through logrus (an unset variable,
// an obsolete `version`, several default files). berth captures them while
// it loads, so they become Warnings instead of lines on stderr. logrus is
// global, hence the lock: loads that run at the same time take turns.
var logrusMu sync.Mutex

// logCollector keeps what compose-go logs. Fire takes a lock: logrus
// fires hooks without one, and the loader logs from several goroutines
// when it walks a large file's services in parallel (a `~` path without
// HOME, say).
type logCollector struct {
	mu   sync.Mutex
	msgs []string
}

func (h *logCollector) Levels() []logrus.Level {
	return []logrus.Level{logrus.PanicLevel, logrus.FatalLevel, logrus.ErrorLevel, logrus.WarnLevel}
}

func (h *logCollector) Fire(e *logrus.Entry) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, e.Message)
	return nil
}

// captureLogs runs fn with compose-go's logrus output collected instead of
// printed.
func captureLogs(fn func() error) ([]string, error) {
	logrusMu.Lock()
	defer logrusMu.Unlock()
	l := logrus.StandardLogger()
	collector := &logCollector{}
	hooks := l.ReplaceHooks(logrus.LevelHooks{})
	out, level := l.Out, l.GetLevel()
	l.AddHook(collector)
	l.SetOutput(io.Discard)
	if level < logrus.WarnLevel {
		l.SetLevel(logrus.WarnLevel)
	}
	defer func() {
		l.ReplaceHooks(hooks)
		l.SetOutput(out)
		l.SetLevel(level)
	}()
	err := fn()
	collector.mu.Lock()
	defer collector.mu.Unlock()
	return collector.msgs, err
}

var reUnsetVariable = lazyRegexp(`^The "([^"]+)" variable is not set\. Defaulting to a blank string\.$`)

// logWarnings turns captured log lines into Warnings: one per unset
// variable, naming where the compose files use it, then the others as
// they came. It also returns the unset variables' names, sorted.
func logWarnings(msgs []string, src *sources) ([]Warning, []string) {
	var unset []string
	var others []Warning
	seen := map[string]bool{}
	for _, m := range msgs {
		if v := reUnsetVariable().FindStringSubmatch(m); v != nil {
			if !seen[v[1]] {
				seen[v[1]] = true
				unset = append(unset, v[1])
			}
			continue
		}
		if !seen["\x00"+m] {
			seen["\x00"+m] = true
			others = append(others, Warning{Message: src.relText(m)})
		}
	}
	sort.Strings(unset)
	var out []Warning
	for _, name := range unset {
		out = append(out, unsetWarning(name, src.varUsages(name)))
	}
	return append(out, others...), unset
}

// location is a place in a compose file.
type location struct {
	File string
	Line int
}

func (l location) String() string { return l.File + ":" + strconv.Itoa(l.Line) }

func unsetWarning(name string, uses []location) Warning {
	w := Warning{Key: name, Message: fmt.Sprintf("variable %s is not set; it is replaced by an empty string", name)}
	if len(uses) == 0 {
		return w
	}
	w.File, w.Line = uses[0].File, uses[0].Line
	if len(uses) > 1 {
		w.Message += " (also used at " + joinLocations(uses[1:]) + ")"
	}
	return w
}

func joinLocations(ls []location) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = l.String()
	}
	return strings.Join(s, ", ")
}

// unsetError is the --strict failure: every unset variable and where it is used.
func unsetError(names []string, src *sources) error {
	e := &LoadError{Kind: ErrUnsetVariable}
	parts := make([]string, len(names))
	for i, name := range names {
		uses := src.varUsages(name)
		parts[i] = name
		if len(uses) > 0 {
			parts[i] += " (" + joinLocations(uses) + ")"
			if e.File == "" {
				e.File, e.Line = uses[0].File, uses[0].Line
			}
		}
	}
	noun := "variable is"
	if len(names) > 1 {
		noun = "variables are"
	}
	e.Msg = fmt.Sprintf("%d %s not set (--strict): %s", len(names), noun, strings.Join(parts, ", "))
	return e
}

// varUsages finds the lines where the compose files substitute name with no
// default: $NAME or ${NAME}. "$$" escapes a dollar; comments are skipped.
func (s *sources) varUsages(name string) []location {
	re := regexp.MustCompile(`\$+(?:` + regexp.QuoteMeta(name) + `(?:[^A-Za-z0-9_]|$)|\{` + regexp.QuoteMeta(name) + `\})`)
	var out []location
	for _, f := range s.allFiles() {
		for i, line := range strings.Split(string(s.read(f)), "\n") {
			line = stripComment(line)
			for _, m := range re.FindAllString(line, -1) {
				if dollars := len(m) - len(strings.TrimLeft(m, "$")); dollars%2 == 1 {
					out = append(out, location{File: s.rel(f), Line: i + 1})
					break
				}
			}
		}
	}
	return out
}

// stripComment drops a YAML comment: a # at the start or after a blank.
func stripComment(line string) string {
	if strings.HasPrefix(strings.TrimSpace(line), "#") {
		return ""
	}
	if i := strings.Index(line, " #"); i >= 0 {
		return line[:i]
	}
	return line
}

// explainWithUnset adds to an error compose-go gives without a place (such
// as "No port specified: <empty>") the variables that were unset, the
// likely cause, and points at a ports entry that uses one when there is.
// A located value that came out empty gets the unset variables of its line.
func explainWithUnset(err error, logs []string, src *sources) error {
	le, ok := err.(*LoadError)
	if !ok || src == nil || (le.Kind != ErrLoad && le.Kind != ErrSchema) {
		return err
	}
	_, unset := logWarnings(logs, src)
	if len(unset) == 0 {
		return err
	}
	if le.Kind == ErrSchema {
		for _, e := range append([]*LoadError{le}, le.Also...) {
			addUnsetCause(e, unset, src)
		}
		return err
	}
	if le.Line > 0 {
		return err
	}
	uses := map[string][]location{}
	lines := map[location]bool{}
	for _, name := range unset {
		uses[name] = src.varUsages(name)
		for _, u := range uses[name] {
			lines[u] = true
		}
	}
	if strings.Contains(strings.ToLower(le.Msg), "port") {
		le.File, le.Line, le.Key = src.portsUsing(lines)
	}
	var parts []string
	for _, name := range unset {
		at := uses[name]
		if le.Line > 0 {
			// Only the variables of the entry the error points at.
			if !slices.Contains(at, location{File: le.File, Line: le.Line}) {
				continue
			}
			at = nil
		}
		part := name
		if len(at) > 0 {
			part += " (" + joinLocations(at) + ")"
		}
		parts = append(parts, part)
	}
	le.Msg += " " + unsetCause(parts)
	return le
}

// portsUsing finds the first ports entry on one of the given lines.
func (s *sources) portsUsing(lines map[location]bool) (file string, line int, key string) {
	s.eachServiceEntry("ports", func(f, service string, _ int, item *yaml.Node) bool {
		if lines[location{File: s.rel(f), Line: item.Line}] {
			file, line, key = s.rel(f), item.Line, "services."+service+".ports"
			return true
		}
		return false
	})
	return file, line, key
}
