package render

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"
)

// fieldLine splits a line ending in a marker into its indentation (with a
// list item's dash) and the key before the marker.
var fieldLine = regexp.MustCompile(`^(\s*(?:- )?)(.*?)__BERTH_KNOB_(\d+)__$`)

// templateText marshals an object map holding markers and turns the
// markers into template actions. Text that looks like an action ({{ in a
// script) is escaped first, so Helm prints it as it is.
func (k *knobSet) templateText(m map[string]any) (string, error) {
	data, err := yaml.Marshal(m)
	if err != nil {
		return "", err
	}
	text := strings.ReplaceAll(string(data), "{{", `{{ "{{" }}`)
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		lines[i] = k.templateLine(line)
	}
	return strings.Join(lines, "\n"), nil
}

// templateLine writes the action of a line's marker. yaml.Marshal puts a
// marker, which needs no quotes, right after its key or list dash.
func (k *knobSet) templateLine(line string) string {
	sub := fieldLine.FindStringSubmatch(line)
	if sub == nil {
		return line
	}
	n, _ := strconv.Atoi(sub[3])
	return fieldAction(k.sites[n], sub[1], sub[2])
}

// fieldAction writes a whole field: prefix is the indentation (and dash),
// key the "name: " before the value, if any.
func fieldAction(s *site, prefix, key string) string {
	below := len(prefix) + 2 // a value below its key: two deeper
	if key == "" {
		below = len(prefix) // a whole list item: at the item's column
	}
	switch s.mode {
	case modeOptional:
		// The guard needs a line of its own: a key that opens a list item
		// is written always (berth puts none there: name comes first).
		if key != "" && !strings.Contains(prefix, "-") {
			return fmt.Sprintf("%s{{- with %s }}\n%s%s{{- toYaml . | nindent %d }}\n%s{{- end }}", prefix, s.expr(), prefix, key, below, prefix)
		}
		fallthrough
	case modeTree:
		return fmt.Sprintf("%s%s{{- %s | toYaml | nindent %d }}", prefix, key, s.expr(), below)
	case modeBlock:
		return fmt.Sprintf("%s%s|{{- %s | nindent %d }}", prefix, key, s.expr(), below)
	}
	return fmt.Sprintf("%s%s{{ %s | toJson }}", prefix, key, s.expr())
}
