package loader

import "bytes"

// ScanName reads a compose file's top-level `name` without parsing the
// file, when a line scan can be sure of it: ok is false when it cannot, and
// the caller parses as before. berth: two of the three YAML parses of a
// large file were only there to read the name.
//
// Why a scan can be sure: in a one-document file whose root is a block
// mapping starting at column 0, every top-level key is on a line that
// starts at column 0. So the scan accepts the file only when its first
// content line starts at column 0 and every line that starts at column 0
// is blank, a comment, a plain `key:` or one `name: value` with a simple
// value. Anything else (flow or indented roots, quoted, explicit or tagged
// keys, aliases, merge keys, directives, several documents, a BOM, tabs,
// a value that needs YAML to read it) is not sure.
func ScanName(content []byte) (name string, ok bool) {
	started, named := false, false
	for len(content) > 0 {
		var line []byte
		line, content = cutLine(content)
		trimmed := bytes.TrimLeft(line, " ")
		if len(trimmed) == 0 || trimmed[0] == '#' {
			continue
		}
		if len(trimmed) < len(line) {
			if !started {
				return "", false
			}
			continue
		}
		key, value, isKey := plainKey(line)
		if !isKey {
			return "", false
		}
		started = true
		if key != "name" {
			if !endsOnItsLine(value) {
				return "", false
			}
			continue
		}
		if named {
			return "", false
		}
		if name, ok = simpleNameValue(value); !ok {
			return "", false
		}
		named = true
	}
	return name, true
}

func cutLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return bytes.TrimSuffix(b[:i], []byte("\r")), b[i+1:]
	}
	return bytes.TrimSuffix(b, []byte("\r")), nil
}

// plainKey splits a `key: value` line whose key is made of letters,
// digits, '_', '-' and '.', followed by a space, a tab or the line's end.
func plainKey(line []byte) (key string, value []byte, ok bool) {
	i := 0
	for i < len(line) && isPlainKeyByte(line[i]) {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != ':' {
		return "", nil, false
	}
	if i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\t' {
		return "", nil, false
	}
	return string(line[:i]), line[i+1:], true
}

func isPlainKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// endsOnItsLine reports whether a top-level key's value cannot go on to
// later lines that start at column 0 (a flow collection or a quoted
// scalar can): `{}`, `[]`, a one-line quoted scalar without escapes, or
// a value with no quote or bracket at all, each maybe with a comment.
func endsOnItsLine(value []byte) bool {
	value = bytes.Trim(value, " \t")
	if len(value) > 0 && (value[0] == '"' || value[0] == '\'') {
		end := bytes.IndexByte(value[1:], value[0]) + 1
		if end == 0 || bytes.IndexByte(value[:end], '\\') >= 0 {
			return false
		}
		rest := bytes.TrimLeft(value[end+1:], " \t")
		return len(rest) == 0 || (rest[0] == '#' && len(rest) < len(value[end+1:]))
	}
	if i := bytes.Index(value, []byte(" #")); i >= 0 {
		value = bytes.TrimRight(value[:i], " \t")
	}
	return string(value) == "{}" || string(value) == "[]" || !bytes.ContainsAny(value, `"'{[`)
}

// simpleNameValue reads a value that YAML would read as this very string:
// letters, digits, '_', '-', '.', $VAR and ${VAR...} references, starting
// with a letter or '$', optionally followed by a comment. Plain words YAML
// reads as something else (null, booleans) and anything else are not simple.
func simpleNameValue(value []byte) (string, bool) {
	value = bytes.Trim(value, " \t")
	if i := bytes.Index(value, []byte(" #")); i >= 0 {
		value = bytes.TrimRight(value[:i], " \t")
	}
	if len(value) == 0 || !(isLetter(value[0]) || value[0] == '$') || !simpleNameBytes(value) {
		return "", false
	}
	switch string(bytes.ToLower(value)) {
	case "null", "true", "false", "yes", "no", "on", "off", "y", "n":
		return "", false
	}
	return string(value), true
}

// simpleNameBytes: plain key bytes, with braces only in ${...}.
func simpleNameBytes(value []byte) bool {
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c == '$' && i+1 < len(value) && value[i+1] == '{' {
			end := bytes.IndexByte(value[i:], '}')
			if end < 0 {
				return false
			}
			for _, r := range value[i+2 : i+end] {
				if !isPlainKeyByte(r) && r != ':' && r != '?' {
					return false
				}
			}
			i += end
			continue
		}
		if !isPlainKeyByte(c) && c != '$' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
