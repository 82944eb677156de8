package fastyaml

import (
	"bytes"
	"fmt"
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

// BenchmarkParseAnchors parses a file of 1000 services that share their
// settings through anchors, aliases and merge keys, as hand-written files
// do.
func BenchmarkParseAnchors(b *testing.B) {
	data := anchoredServices(1000)
	if _, ok := Parse(data); !ok {
		b.Fatal("Parse declined the file")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(data)
	}
}

func anchoredServices(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`x-logging: &logging
  driver: json-file
  options: {max-size: 10m, max-file: "3"}
x-env: &env
  TZ: UTC
  LOG_LEVEL: info
x-common: &common
  restart: unless-stopped
  logging: *logging
  networks: [backend]
  healthcheck: &health
    test: ["CMD", "curl", "-f", "http://localhost/health"]
    interval: 30s
services:
`)
	for i := range n {
		fmt.Fprintf(&buf, `  svc%04d:
    <<: *common
    image: registry.example/svc%04d:1.2.3
    environment:
      <<: *env
      NAME: svc%04d
    ports: ["%d:80"]
    healthcheck:
      <<: *health
      retries: 3
`, i, i, i, 10000+i)
	}
	buf.WriteString("networks:\n  backend:\n")
	return buf.Bytes()
}

// TestAnchoredServicesMatchYAMLv4 checks the benchmark's file.
func TestAnchoredServicesMatchYAMLv4(t *testing.T) {
	data := anchoredServices(100)
	root, ok := Parse(data)
	if !ok {
		t.Fatal("Parse declined the file")
	}
	checkAgainstYAMLv4(t, data, root)
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
