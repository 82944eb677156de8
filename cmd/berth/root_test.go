package main

import (
	"testing"

	"github.com/spf13/cobra"
)

// Every verb's --help teaches by example (help itself excepted).
func TestEveryVerbHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			if sub.Example == "" {
				t.Errorf("`%s --help` has no examples", sub.CommandPath())
			}
			walk(sub)
		}
	}
	walk(NewRootCommand())
}
