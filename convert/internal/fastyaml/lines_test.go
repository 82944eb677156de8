package fastyaml

import "testing"

func TestLines(t *testing.T) {
	src := `# a comment
---
name: demo

services:
  web:
    image: nginx   # trailing comment
    command: ["sh", "-c",
      "echo hi"]
    ports:
    - "80:80"
    environment:
      A: |
        first
        second
      B: {x: 1}
    healthcheck:
`
	root, ok := Parse([]byte(src))
	if !ok {
		t.Fatal("declined")
	}
	services := lookup(t, &root, "services")
	web := lookup(t, services, "web")
	command := lookup(t, web, "command")
	env := lookup(t, web, "environment")
	for _, c := range []struct {
		what string
		node *Node
		line int
	}{
		{"root mapping (its first key)", &root, 3},
		{"key name", &root.Content[0], 3},
		{"services mapping", services, 6},
		{"web mapping", web, 7},
		{"image value", lookup(t, web, "image"), 7},
		{"flow sequence", command, 8},
		{"flow item on the next line", &command.Content[2], 9},
		{"sequence at its key's indent", lookup(t, web, "ports"), 11},
		{"block scalar (its indicator)", lookup(t, env, "A"), 13},
		{"flow mapping", lookup(t, env, "B"), 16},
		{"empty value (its key's line)", lookup(t, web, "healthcheck"), 17},
	} {
		if c.node.Line != c.line {
			t.Errorf("%s: line %d, want %d", c.what, c.node.Line, c.line)
		}
	}
	checkAgainstYAMLv4(t, []byte(src), root)
}

// lookup returns the value of key in mapping m.
func lookup(t *testing.T, m *Node, key string) *Node {
	t.Helper()
	if m.Kind != Mapping {
		t.Fatalf("looking up %q in a non-mapping", key)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return &m.Content[i+1]
		}
	}
	t.Fatalf("no key %q", key)
	return nil
}
