package convert

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use. Most of the package's expressions
// only explain load errors; compiled at start-up they cost every berth
// process, a successful `berth convert` included, half a millisecond.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
