package convert_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"berth/convert"
)

const hashCompose = `name: shop
services:
  web:
    build: ./web
    image: shop-web
    volumes:
      - ./nginx.conf:/etc/nginx/nginx.conf:ro
    environment:
      MODE: %s
`

// loadHashIn writes the project into a new directory named dirName and
// returns its compose hash.
func loadHashIn(t *testing.T, dirName, mode string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), dirName)
	if err := os.MkdirAll(filepath.Join(dir, "web"), 0o755); err != nil {
		t.Fatal(err)
	}
	compose := []byte(fmt.Sprintf(hashCompose, mode))
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), compose, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte("events {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{filepath.Join(dir, "compose.yaml")}, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.ComposeHash) != 16 {
		t.Fatalf("compose hash %q: want 16 hex digits", l.ComposeHash)
	}
	return l.ComposeHash
}

// TestComposeHashIsMachineIndependent: the same project hashes the same
// wherever it sits on disk (paths are made relative), and any change to
// the model changes the hash.
func TestComposeHashIsMachineIndependent(t *testing.T) {
	a := loadHashIn(t, "checkout-a", "prod")
	b := loadHashIn(t, "some/other/place", "prod")
	if a != b {
		t.Errorf("same project in two directories: hashes %s and %s differ", a, b)
	}
	if c := loadHashIn(t, "checkout-a", "debug"); c == a {
		t.Errorf("changing an environment value kept the hash %s", c)
	}
}
