package convert

import (
	"errors"
	"fmt"
	"strings"
)

// The ARG, ENV and USER instructions of a Dockerfile and the expansion of
// ${VAR} in them (BuildKit's shell lexer, reduced to what a USER needs). A
// variable berth cannot know (an ARG without default nor build arg) makes
// the user unknown rather than empty, as it would be in the build.

// dfVar is the value of an ARG or ENV; known is false when its value came
// from a variable berth cannot know.
type dfVar struct {
	val   string
	known bool
}

// maxExpandDepth bounds ${A:-${B:-...}} nesting, so no input recurses deeply.
const maxExpandDepth = 32

// arg declares ARGs: `ARG NAME[=default] ...`. A compose build arg wins
// over the default; in a stage, `ARG NAME` without default takes the global
// ARG's value. Values are expanded before any is assigned, as BuildKit does.
func (b *dfBuild) arg(in dfInstr) {
	inStage := len(b.stages) > 0
	lookup, scope := b.lookupGlobal, b.global
	if inStage {
		lookup, scope = b.lookupStage, b.args
	}
	set := map[string]dfVar{}
	for _, w := range b.words(in.args) {
		name, def, hasDef := strings.Cut(w, "=")
		if val, given := b.buildArgs[name]; given {
			set[name] = dfVar{val: val, known: true}
		} else if hasDef {
			val, err := b.expand(def, lookup)
			set[name] = dfVar{val: val, known: err == nil}
		} else if g, ok := b.global[name]; ok && inStage {
			set[name] = g
		}
	}
	for k, v := range set {
		scope[k] = v
	}
}

// env sets `ENV NAME=value ...` or the legacy `ENV NAME value words`.
func (b *dfBuild) env(st *dfStage, in dfInstr) {
	words := b.words(in.args)
	if len(words) == 0 {
		return
	}
	var pairs [][2]string
	if !strings.Contains(words[0], "=") {
		rest := strings.TrimSpace(strings.TrimPrefix(in.args, words[0]))
		pairs = append(pairs, [2]string{words[0], rest})
	} else {
		for _, w := range words {
			k, v, _ := strings.Cut(w, "=")
			pairs = append(pairs, [2]string{k, v})
		}
	}
	set := make([]dfVar, len(pairs))
	for i, p := range pairs {
		val, err := b.expand(p[1], b.lookupStage)
		set[i] = dfVar{val: val, known: err == nil}
	}
	for i, p := range pairs {
		st.env[p[0]] = set[i]
	}
}

// user reads `USER user[:group]`; BuildKit wants exactly one argument.
func (b *dfBuild) user(in dfInstr) dockerUser {
	words := strings.Fields(in.args)
	if len(words) != 1 {
		return dockerUser{Why: fmt.Sprintf("USER on line %d does not have exactly one argument", in.line)}
	}
	u, err := b.expand(words[0], b.lookupStage)
	if err != nil {
		return dockerUser{Why: fmt.Sprintf("USER %s (line %d): %v", words[0], in.line, err)}
	}
	if u == "" {
		return dockerUser{Why: fmt.Sprintf("USER on line %d is empty", in.line)}
	}
	return dockerUser{User: u, Line: in.line}
}

func (b *dfBuild) lookupGlobal(name string) (dfVar, bool) {
	v, ok := b.global[name]
	return v, ok
}

// lookupStage sees the current stage's ENV first, then its ARGs: ENV
// overrides an ARG of the same name.
func (b *dfBuild) lookupStage(name string) (dfVar, bool) {
	if v, ok := b.stages[len(b.stages)-1].env[name]; ok {
		return v, true
	}
	v, ok := b.args[name]
	return v, ok
}

func (b *dfBuild) words(s string) []string {
	return splitWords(s, b.escape)
}

// splitWords splits on blanks outside quotes, keeping quotes and escapes
// for expand (BuildKit's parseWords).
func splitWords(s string, escape byte) []string {
	var out []string
	var w strings.Builder
	quote, inWord := byte(0), false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == 0 && (c == ' ' || c == '\t'):
			if inWord {
				out, inWord = append(out, w.String()), false
				w.Reset()
			}
			continue
		case c == escape && quote != '\'' && i+1 < len(s):
			w.WriteByte(c)
			i++
			c = s[i]
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case c == quote:
			quote = 0
		}
		w.WriteByte(c)
		inWord = true
	}
	if inWord {
		out = append(out, w.String())
	}
	return out
}

// expand processes one word: quotes, escapes and $VAR / ${VAR...}.
func (b *dfBuild) expand(word string, lookup func(string) (dfVar, bool)) (string, error) {
	x := &dfLex{s: word, escape: b.escape, lookup: lookup}
	out, err := x.word(0, 0)
	if err == nil && x.i < len(x.s) {
		err = errors.New("unexpected }")
	}
	return out, err
}

type dfLex struct {
	s      string
	i      int
	escape byte
	lookup func(string) (dfVar, bool)
}

// word reads up to the end or, inside ${VAR:-word}, up to stop.
func (x *dfLex) word(stop byte, depth int) (string, error) {
	if depth > maxExpandDepth {
		return "", errors.New("variables nest too deeply")
	}
	var out strings.Builder
	for x.i < len(x.s) && (stop == 0 || x.s[x.i] != stop) {
		var part string
		var err error
		switch c := x.s[x.i]; {
		case c == x.escape:
			part = x.escaped(false)
		case c == '\'':
			part, err = x.single()
		case c == '"':
			part, err = x.double(depth)
		case c == '$':
			part, err = x.dollar(depth)
		default:
			part = string(c)
			x.i++
		}
		if err != nil {
			return "", err
		}
		out.WriteString(part)
	}
	return out.String(), nil
}

// escaped returns the character after the escape; inside double quotes
// only ", $ and the escape itself are escapable.
func (x *dfLex) escaped(inDouble bool) string {
	x.i++
	if x.i >= len(x.s) {
		return ""
	}
	c := x.s[x.i]
	x.i++
	if inDouble && c != '"' && c != '$' && c != x.escape {
		return string([]byte{x.escape, c})
	}
	return string(c)
}

func (x *dfLex) single() (string, error) {
	end := strings.IndexByte(x.s[x.i+1:], '\'')
	if end < 0 {
		return "", errors.New("unterminated single quote")
	}
	out := x.s[x.i+1 : x.i+1+end]
	x.i += end + 2
	return out, nil
}

func (x *dfLex) double(depth int) (string, error) {
	x.i++
	var out strings.Builder
	for x.i < len(x.s) {
		switch c := x.s[x.i]; c {
		case '"':
			x.i++
			return out.String(), nil
		case x.escape:
			out.WriteString(x.escaped(true))
		case '$':
			part, err := x.dollar(depth)
			if err != nil {
				return "", err
			}
			out.WriteString(part)
		default:
			out.WriteByte(c)
			x.i++
		}
	}
	return "", errors.New("unterminated double quote")
}

// dollar expands $NAME, ${NAME} and ${NAME<op>word} with op one of :- - :+ + :? ?.
func (x *dfLex) dollar(depth int) (string, error) {
	x.i++
	if x.i >= len(x.s) || (x.s[x.i] != '{' && !isNameChar(x.s[x.i])) {
		return "$", nil
	}
	if x.s[x.i] != '{' {
		return x.value(x.name())
	}
	x.i++
	name := x.name()
	if name == "" {
		return "", errors.New("bad substitution")
	}
	if x.i < len(x.s) && x.s[x.i] == '}' {
		x.i++
		return x.value(name)
	}
	op := x.op()
	if op == "" {
		return "", fmt.Errorf("${%s...}: a form berth does not evaluate", name)
	}
	alt, err := x.word('}', depth+1)
	if err != nil {
		return "", err
	}
	if x.i >= len(x.s) {
		return "", errors.New("missing }")
	}
	x.i++
	return x.modify(name, op, alt)
}

func (x *dfLex) name() string {
	start := x.i
	for x.i < len(x.s) && isNameChar(x.s[x.i]) {
		x.i++
	}
	return x.s[start:x.i]
}

func (x *dfLex) op() string {
	for _, op := range []string{":-", ":+", ":?", "-", "+", "?"} {
		if strings.HasPrefix(x.s[x.i:], op) {
			x.i += len(op)
			return op
		}
	}
	return ""
}

func isNameChar(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func (x *dfLex) value(name string) (string, error) {
	v, ok := x.lookup(name)
	if !ok {
		return "", fmt.Errorf("%s has no value (no ARG default, ENV or build arg gives one)", name)
	}
	if !v.known {
		return "", fmt.Errorf("%s has a value berth cannot know", name)
	}
	return v.val, nil
}

// modify applies a ${NAME<op>word} form the way a POSIX shell does.
func (x *dfLex) modify(name, op, alt string) (string, error) {
	v, set := x.lookup(name)
	if set && !v.known {
		return "", fmt.Errorf("%s has a value berth cannot know", name)
	}
	if strings.HasPrefix(op, ":") {
		set = set && v.val != ""
	}
	switch strings.TrimPrefix(op, ":") {
	case "-":
		if set {
			return v.val, nil
		}
		return alt, nil
	case "+":
		if set {
			return alt, nil
		}
		return "", nil
	}
	if !set {
		return "", fmt.Errorf("%s is not set (%s)", name, alt)
	}
	return v.val, nil
}
