package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestAskYes(t *testing.T) {
	for in, want := range map[string]bool{"y\n": true, "yes\n": true, "\n": false, "n\n": false, "": false, "Y": true} {
		var out bytes.Buffer
		got, err := askYes(strings.NewReader(in), &out, "go?")
		if err != nil || got != want {
			t.Errorf("answer %q: %v, %v; want %v", in, got, err, want)
		}
		if !strings.Contains(out.String(), "go? [y/N]") {
			t.Errorf("prompt %q", out.String())
		}
	}
}
