package convert

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Errors compose-go words without a place, and where berth finds it.
var (
	// An env file or .env with bad syntax: "failed to read /p/e.env: line 3: ...".
	reEnvSyntax = lazyRegexp(`(?s)^failed to read (.+?): line (\d+): (.*)$`)
	// extends in a loop: "Circular reference:\n  web in compose.yaml\n  extends ...".
	reExtendsCycle = lazyRegexp(`^Circular reference:\n`)
	reCycleStep    = lazyRegexp(`(?m)^  (?:extends )?(\S+) in (.+)$`)
	// A top-level section of the wrong type: "services must be a mapping".
	reSectionType = lazyRegexp(`^(services|networks|volumes|secrets|configs|include) must be a (\w+)$`)
)

// placeError names the file and line of the errors above, or returns nil.
func placeError(err error, src *sources) *LoadError {
	msg := err.Error()
	if m := reEnvSyntax().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		return &LoadError{File: src.rel(m[1]), Line: line, Msg: m[3], Kind: ErrLoad, Err: err}
	}
	if reExtendsCycle().MatchString(msg) {
		return extendsCycleError(err, src)
	}
	if m := reSectionType().FindStringSubmatch(msg); m != nil {
		e := &LoadError{Key: m[1], Msg: "must be a " + m[2], Kind: ErrSchema, Err: err}
		e.File, e.Line = src.locate(m[1])
		return e
	}
	return nil
}

// extendsCycleError words an extends loop the same whichever service
// compose-go started from (its map order decides): the loop starts at the
// service whose extends comes first (by file name, then line).
func extendsCycleError(err error, src *sources) *LoadError {
	type step struct{ service, file string }
	var loop []step
	for _, m := range reCycleStep().FindAllStringSubmatch(err.Error(), -1) {
		loop = append(loop, step{m[1], m[2]})
	}
	if len(loop) < 2 {
		return &LoadError{Msg: src.relText(err.Error()), Kind: ErrDependencyCycle, Err: err}
	}
	loop = loop[:len(loop)-1] // the last step is the first again
	where := func(st step) (string, int) { return src.locate("services." + st.service + ".extends") }
	before := func(a, b step) bool {
		fa, la := where(a)
		fb, lb := where(b)
		return fa < fb || (fa == fb && la < lb)
	}
	start := 0
	for i := range loop {
		if before(loop[i], loop[start]) {
			start = i
		}
	}
	loop = append(loop[start:], loop[:start]...)
	oneFile := !slices.ContainsFunc(loop, func(st step) bool { return st.file != loop[0].file })
	var names []string
	for _, st := range append(loop, loop[0]) {
		if oneFile {
			names = append(names, st.service)
		} else {
			names = append(names, st.service+" ("+filepath.Base(st.file)+")")
		}
	}
	e := &LoadError{Key: "services." + loop[0].service + ".extends", Kind: ErrDependencyCycle, Err: err,
		Msg: "services extend each other in a loop: " + strings.Join(names, " -> ")}
	e.File, e.Line = where(loop[0])
	return e
}
