package convert

import (
	"fmt"
	"strings"
)

// berth sets runAsNonRoot only when it knows the user a container runs as.
// For a service built from a Dockerfile, the last USER of the stage that is
// built says it. This file finds that USER as BuildKit would read the file,
// following FROM <earlier stage>, but never guessing what an external base
// image does: its user stays unknown.

// dockerUser is what a Dockerfile says about the user of the built stage.
type dockerUser struct {
	User string // the USER value with variables expanded; "" when unknown
	Line int    // line of that USER instruction
	Why  string // why User is unknown
}

// dfInstr is one instruction, its continuation lines joined.
type dfInstr struct {
	line int    // first line of the instruction
	cmd  string // upper case: FROM, ARG, ENV, USER...
	args string
}

var (
	// a parser directive such as `# escape=`` (BuildKit's reDirective)
	reDirective = lazyRegexp(`^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$`)
	// a word of RUN, COPY or ADD that opens a heredoc: <<EOF, <<-EOF, <<"EOF"
	reHeredoc = lazyRegexp(`^\d*<<(-?)(["']?)([A-Za-z0-9_.-]+)["']?$`)
)

// heredoc is a pending heredoc body: lines up to its terminator are data.
type heredoc struct {
	word  string
	strip bool // <<- strips leading tabs before comparing
}

// dfLexer splits a Dockerfile into instructions.
type dfLexer struct {
	escape     byte
	directives bool // still at the top, where parser directives may appear
	cur        *dfInstr
	text       strings.Builder
	heredocs   []heredoc
	out        []dfInstr
}

// dockerfileInstructions returns the instructions of a Dockerfile, its
// escape character and whether a heredoc is left open, skipping comments,
// parser directives and heredoc bodies (which may contain lines that look
// like instructions).
func dockerfileInstructions(src string) ([]dfInstr, byte, bool) {
	lx := &dfLexer{escape: '\\', directives: true}
	for i, raw := range strings.Split(src, "\n") {
		lx.line(i+1, strings.TrimSuffix(raw, "\r"))
	}
	lx.finish()
	return lx.out, lx.escape, len(lx.heredocs) > 0
}

func (lx *dfLexer) line(n int, raw string) {
	if len(lx.heredocs) > 0 {
		h := lx.heredocs[0]
		if l := raw; l == h.word || (h.strip && strings.TrimLeft(l, "\t") == h.word) {
			lx.heredocs = lx.heredocs[1:]
		}
		return
	}
	trimmed := strings.TrimSpace(raw)
	if lx.directives && lx.directive(trimmed) {
		return
	}
	lx.directives = false
	// Comments and blank lines are skipped, also inside a continued
	// instruction (BuildKit drops them there too).
	if trimmed == "" || trimmed[0] == '#' {
		return
	}
	body, more := lx.cutContinuation(raw)
	if lx.cur == nil {
		lx.cur = &dfInstr{line: n}
		body = strings.TrimLeft(body, " \t")
	}
	lx.text.WriteString(body)
	if !more {
		lx.finish()
	}
}

// directive handles a parser directive; only escape matters here.
func (lx *dfLexer) directive(line string) bool {
	m := reDirective().FindStringSubmatch(line)
	if m == nil {
		return false
	}
	if strings.EqualFold(m[1], "escape") && (m[2] == "`" || m[2] == `\`) {
		lx.escape = m[2][0]
	}
	return true
}

// cutContinuation removes a trailing escape character (and the blanks
// after it), which continues the instruction on the next line.
func (lx *dfLexer) cutContinuation(raw string) (string, bool) {
	t := strings.TrimRight(raw, " \t")
	if t != "" && t[len(t)-1] == lx.escape {
		return t[:len(t)-1], true
	}
	return raw, false
}

func (lx *dfLexer) finish() {
	if lx.cur == nil {
		return
	}
	text := strings.TrimSpace(lx.text.String())
	lx.text.Reset()
	cmd, args := text, ""
	if i := strings.IndexAny(text, " \t"); i >= 0 {
		cmd, args = text[:i], text[i+1:]
	}
	in := dfInstr{line: lx.cur.line, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
	lx.out = append(lx.out, in)
	lx.cur = nil
	if in.cmd != "RUN" && in.cmd != "COPY" && in.cmd != "ADD" {
		return
	}
	// Only a whole word opens a heredoc, as in BuildKit: "<<EOF" in quotes
	// or cat<<EOF does not, and must not hide the lines after it.
	for _, w := range splitWords(in.args, lx.escape) {
		if m := reHeredoc().FindStringSubmatch(w); m != nil {
			lx.heredocs = append(lx.heredocs, heredoc{word: m[3], strip: m[1] == "-"})
		}
	}
}

// dockerfileUser returns the user the built stage runs as: the stage named
// target (case-insensitive, as BuildKit names stages), or the last one.
// buildArgs are compose's build.args; they give ARGs their values.
func dockerfileUser(src, target string, buildArgs map[string]string) dockerUser {
	instrs, escape, open := dockerfileInstructions(src)
	if open {
		// the build fails, or reads more than berth sees
		return dockerUser{Why: "a heredoc in it is not terminated"}
	}
	b := &dfBuild{escape: escape, buildArgs: buildArgs, global: map[string]dfVar{}}
	for _, in := range instrs {
		b.step(in)
	}
	if len(b.stages) == 0 {
		return dockerUser{Why: "it has no FROM"}
	}
	if target == "" {
		return b.stages[len(b.stages)-1].user
	}
	if st := b.stage(target); st != nil {
		return st.user
	}
	return dockerUser{Why: fmt.Sprintf("it has no stage %q (build.target)", target)}
}

type dfStage struct {
	name        string // lower case; "" for an unnamed stage
	user        dockerUser
	env         map[string]dfVar // inherited by stages built FROM this one
	onbuildUser int              // line of an ONBUILD USER, which runs in child stages
}

// dfBuild evaluates instructions in order, as a build would.
type dfBuild struct {
	escape    byte
	buildArgs map[string]string
	global    map[string]dfVar // ARGs before the first FROM
	stages    []*dfStage
	args      map[string]dfVar // ARGs declared in the current stage
}

func (b *dfBuild) step(in dfInstr) {
	if in.cmd == "FROM" {
		b.from(in)
		return
	}
	if in.cmd == "ARG" {
		b.arg(in)
		return
	}
	if len(b.stages) == 0 {
		return
	}
	st := b.stages[len(b.stages)-1]
	switch in.cmd {
	case "ENV":
		b.env(st, in)
	case "USER":
		st.user = b.user(in)
	case "ONBUILD":
		if f := strings.Fields(in.args); len(f) > 0 && strings.EqualFold(f[0], "USER") {
			st.onbuildUser = in.line
		}
	}
}

func (b *dfBuild) stage(name string) *dfStage {
	for _, st := range b.stages {
		if st.name != "" && st.name == strings.ToLower(name) {
			return st
		}
	}
	return nil
}

// from starts a stage. Only global ARGs are visible in FROM.
func (b *dfBuild) from(in dfInstr) {
	var words []string
	for _, w := range strings.Fields(in.args) {
		if !strings.HasPrefix(w, "--") {
			words = append(words, w)
		}
	}
	st := &dfStage{env: map[string]dfVar{}}
	if len(words) == 3 && strings.EqualFold(words[1], "AS") {
		st.name = strings.ToLower(words[2])
	}
	b.args = map[string]dfVar{}
	st.user = b.baseUser(in, words, st)
	b.stages = append(b.stages, st)
}

// baseUser is the user a stage starts with: its parent stage's (whose ENV
// it inherits too), or unknown for an external image.
func (b *dfBuild) baseUser(in dfInstr, words []string, st *dfStage) dockerUser {
	if len(words) == 0 {
		return dockerUser{Why: fmt.Sprintf("FROM on line %d names no image", in.line)}
	}
	image, err := b.expand(words[0], b.lookupGlobal)
	if err != nil {
		return dockerUser{Why: fmt.Sprintf("FROM %s (line %d): %v", words[0], in.line, err)}
	}
	parent := b.stage(image)
	if parent == nil && strings.EqualFold(image, "scratch") {
		return dockerUser{Why: "its built stage sets no USER and starts FROM scratch, so it runs as root"}
	}
	if parent == nil {
		return dockerUser{Why: fmt.Sprintf("its built stage sets no USER, and berth does not guess the user of the base image %s", image)}
	}
	for k, v := range parent.env {
		st.env[k] = v
	}
	if parent.onbuildUser > 0 {
		return dockerUser{Why: fmt.Sprintf("stage %s has an ONBUILD USER (line %d), which berth does not follow", parent.name, parent.onbuildUser)}
	}
	return parent.user
}
