package convert

import (
	"bytes"
	"os"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/tree"
)

// compose-go casts interpolated strings to numbers and booleans by path
// ("services.*.deploy.replicas", ...). For every string in the files it
// tries each of its ~90 path patterns in turn, splitting both paths into
// new slices each time: a fifth of the time it takes to load a large file.
// A pattern can only match a path made of keys written in the files, so a
// pattern one of whose literal parts ("replicas", "jobs") appears nowhere
// in the files' text can never apply, and berth leaves it out. When the
// text could hide a key (a backslash escape) or pull in other files
// (include, extends), or cannot be read (stdin), every pattern stays.

// castPruning can be turned off by tests, to compare.
var castPruning = true

// pruneCasts keeps compose-go's own cast patterns but those that cannot
// match any key of files.
func pruneCasts(files []string) func(*loader.Options) {
	return func(lo *loader.Options) {
		if lo.Interpolate == nil || !castPruning {
			return
		}
		text, ok := composeText(files)
		if !ok {
			return
		}
		opts := *lo.Interpolate
		opts.TypeCastMapping = castsMatching(lo.Interpolate.TypeCastMapping, text)
		lo.Interpolate = &opts
	}
}

// composeText returns the files' contents, or false when a key could be
// written so that its text does not appear literally, or other files could
// be loaded too.
func composeText(files []string) ([]byte, bool) {
	var all []byte
	for _, f := range files {
		if f == "-" {
			return nil, false
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, false
		}
		all = append(append(all, data...), '\n')
	}
	for _, risky := range []string{`\`, "include", "extends"} {
		if bytes.Contains(all, []byte(risky)) {
			return nil, false
		}
	}
	return all, len(files) > 0
}

func castsMatching(all map[tree.Path]interp.Cast, text []byte) map[tree.Path]interp.Cast {
	out := make(map[tree.Path]interp.Cast, len(all))
	for pattern, cast := range all {
		if literalsIn(pattern, text) {
			out[pattern] = cast
		}
	}
	return out
}

// literalsIn tells whether every part of pattern but the wildcards
// appears in text.
func literalsIn(pattern tree.Path, text []byte) bool {
	for _, part := range pattern.Parts() {
		if part == tree.PathMatchAll || part == tree.PathMatchList {
			continue
		}
		if !bytes.Contains(text, []byte(part)) {
			return false
		}
	}
	return true
}
