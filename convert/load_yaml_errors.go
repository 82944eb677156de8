package convert

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	yaml4 "go.yaml.in/yaml/v4"
	"gopkg.in/yaml.v3"
)

// yamlError explains a YAML error of file (as compose-go's YAML library,
// go.yaml.in/yaml/v4, words it) with its line and, where the line holds
// one, the key.
func yamlError(err error, src *sources, file, msg string) *LoadError {
	e := &LoadError{File: src.rel(file), Msg: msg, Kind: ErrYAMLSyntax, Err: err}
	var le *yaml4.LoadErrors
	if errors.As(err, &le) && len(le.Errors) > 0 {
		// "construct errors: line 1: line 4: mapping key "image" already
		// defined at line 3": the innermost line is the right one.
		line, text := le.Errors[0].Line, le.Errors[0].Err.Error()
		for {
			m := reLinePrefix().FindStringSubmatch(text)
			if m == nil {
				break
			}
			line, _ = strconv.Atoi(m[1])
			text = m[2]
		}
		e.Line, e.Msg = line, "yaml: "+text
		e.Key = keyAtLine(src.node(file), e.Line)
		return e
	}
	if isParserError(err) {
		e.Msg = fixParserLines(msg)
	}
	if lines := reYAMLLine().FindAllStringSubmatch(e.Msg, -1); len(lines) > 0 {
		e.Line, _ = strconv.Atoi(lines[len(lines)-1][1])
	}
	if lineHasTab(src.read(file), e.Line) {
		e.Msg += " (the line has a tab: YAML indents with spaces only)"
	}
	return e
}

// lineHasTab tells whether the 1-based line of data holds a tab before its
// first other character, the usual cause of "cannot start any token".
func lineHasTab(data []byte, line int) bool {
	if line <= 0 {
		return false
	}
	lines := strings.SplitN(string(data), "\n", line+1)
	if len(lines) < line {
		return false
	}
	text := lines[line-1]
	return strings.Contains(text[:len(text)-len(strings.TrimLeft(text, " \t"))], "\t")
}

// isParserError tells a YAML parser error from a scanner error. The YAML
// library counts the lines of parser errors from 0 (and prints line 0 as
// "<unknown position>"), those of scanner errors from 1; its error types
// are internal, so their names tell them apart.
func isParserError(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if fmt.Sprintf("%T", err) == "libyaml.ParserError" {
			return true
		}
	}
	return false
}

var reLinePrefix = lazyRegexp(`(?s)^line (\d+): (.*)$`)

var reParserMark = lazyRegexp(`<unknown position>|line (\d+)`)

// fixParserLines counts a parser error's lines from 1, as editors do.
func fixParserLines(msg string) string {
	return reParserMark().ReplaceAllStringFunc(msg, func(m string) string {
		if m == "<unknown position>" {
			return "line 1"
		}
		n, _ := strconv.Atoi(strings.TrimPrefix(m, "line "))
		return "line " + strconv.Itoa(n+1)
	})
}

// keyAtLine returns the dotted path of the deepest mapping key on line.
func keyAtLine(n *yaml.Node, line int) string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if sub := keyAtLine(v, line); sub != "" {
				return joinPath(k.Value, sub)
			}
			if k.Line == line {
				return k.Value
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			if sub := keyAtLine(item, line); sub != "" {
				return joinPath(strconv.Itoa(i), sub)
			}
		}
	}
	return ""
}
