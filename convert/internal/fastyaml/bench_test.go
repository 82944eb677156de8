package fastyaml

import (
	"bytes"
	"testing"

	"berth/internal/gencompose"

	"go.yaml.in/yaml/v4"
)

// diamond1000 is the compose file of `go run ./hack/gencompose -n 1000
// -shape diamond` (about 575 KB), the size the fast path is for.
func diamond1000(b *testing.B) []byte {
	var buf bytes.Buffer
	if err := gencompose.Write(&buf, 1000, gencompose.Diamond); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkParse(b *testing.B) {
	data := diamond1000(b)
	if _, ok := Parse(data); !ok {
		b.Fatal("Parse declined the generated file")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(data)
	}
}

// BenchmarkYAMLv4Node is the full parser on the same file, for comparison.
func BenchmarkYAMLv4Node(b *testing.B) {
	data := diamond1000(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var n yaml.Node
		if err := yaml.Unmarshal(data, &n); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGeneratedFileMatchesYAMLv4 checks the benchmark's file like the
// compose files.
func TestGeneratedFileMatchesYAMLv4(t *testing.T) {
	var buf bytes.Buffer
	if err := gencompose.Write(&buf, 200, gencompose.Diamond); err != nil {
		t.Fatal(err)
	}
	root, ok := Parse(buf.Bytes())
	if !ok {
		t.Fatal("Parse declined the generated file")
	}
	checkAgainstYAMLv4(t, buf.Bytes(), root)
}
