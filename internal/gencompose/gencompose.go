// Package gencompose writes synthetic compose files of any size, for the
// benchmarks (go test -bench, make bench) and for load tests.
package gencompose

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// Shape is how services depend on each other.
type Shape string

const (
	// Chain: service i depends on service i-1.
	Chain Shape = "chain"
	// Diamond: a chain where every 10th service also depends on i-10, the
	// shape on which an exhaustive path search explodes.
	Diamond Shape = "diamond"
)

// Write writes a compose file with n services. Each has an image, a
// published port, environment (one in five with a secret-looking
// variable), a healthcheck and resources; one in five keeps a named volume.
func Write(w io.Writer, n int, shape Shape) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "name: gen-%s-%d\nservices:\n", shape, n)
	for i := 0; i < n; i++ {
		writeService(bw, i, shape)
	}
	if n > 0 {
		bw.WriteString("volumes:\n")
		for i := 0; i < n; i += 5 {
			fmt.Fprintf(bw, "  data-%04d: {}\n", i)
		}
	}
	return bw.Flush()
}

// WriteFile writes such a file at path.
func WriteFile(path string, n int, shape Shape) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := Write(f, n, shape); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func name(i int) string { return fmt.Sprintf("svc-%04d", i) }

func writeService(w *bufio.Writer, i int, shape Shape) {
	fmt.Fprintf(w, "  %s:\n    image: registry.example.com/team/app-%d:1.%d\n", name(i), i%7, i%3)
	fmt.Fprintf(w, "    ports:\n      - \"%d:8080\"\n", 10000+i)
	fmt.Fprintf(w, "    environment:\n      SERVICE_INDEX: \"%d\"\n      LOG_LEVEL: info\n      UPSTREAM: http://%s:8080\n", i, name(max(i-1, 0)))
	if i%5 == 0 {
		fmt.Fprintf(w, "      API_TOKEN: token-%d\n", i)
		fmt.Fprintf(w, "    volumes:\n      - data-%04d:/var/lib/app\n", i)
	}
	if deps := dependencies(i, shape); len(deps) > 0 {
		w.WriteString("    depends_on:\n")
		for _, d := range deps {
			fmt.Fprintf(w, "      %s:\n        condition: service_healthy\n", name(d))
		}
	}
	w.WriteString(`    healthcheck:
      test: ["CMD", "wget", "-q", "-O-", "http://localhost:8080/healthz"]
      interval: 10s
      timeout: 3s
      retries: 3
      start_period: 20s
    deploy:
      resources:
        limits: {cpus: "0.5", memory: 256M}
        reservations: {cpus: "0.1", memory: 64M}
`)
}

func dependencies(i int, shape Shape) []int {
	var deps []int
	if i > 0 {
		deps = append(deps, i-1)
	}
	if shape == Diamond && i%10 == 0 && i >= 10 {
		deps = append(deps, i-10)
	}
	return deps
}
