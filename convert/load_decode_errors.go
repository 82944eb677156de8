package convert

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// After validation compose-go decodes the model into its types; values the
// schema lets through as strings (durations, sizes, CPUs) fail there, all at
// once, in random order, under a path like 'services[web].ports[0].target'.
var (
	reDecoding   = lazyRegexp(`^decoding failed due to the following error\(s\):\n\n`)
	reDecodeLine = lazyRegexp(`^'([^']*)' (.*)$`)
	reMapIndex   = lazyRegexp(`\[([^\]\d][^\]]*)\]`)
	reListIndex  = lazyRegexp(`\[(\d+)\]`)
	reDuration   = lazyRegexp(`^time: .*duration "(.*)"$`)
	reSize       = lazyRegexp(`^invalid size: '(.*)'$`)
)

// maxAlsoErrors is how many problems an error lists after its own.
const maxAlsoErrors = 9

// decodingError explains each failed value, in file order.
func decodingError(err error, src *sources) *LoadError {
	var all []*LoadError
	for _, line := range strings.Split(reDecoding().ReplaceAllString(err.Error(), ""), "\n") {
		m := reDecodeLine().FindStringSubmatch(line)
		if m == nil {
			continue
		}
		key := reMapIndex().ReplaceAllString(m[1], ".$1")
		e := &LoadError{Key: key, Msg: decodeMessage(m[2]), Kind: ErrSchema, Err: err}
		e.File, e.Line = src.locateDecoded(key)
		all = append(all, e)
	}
	if len(all) == 0 {
		return &LoadError{Msg: src.relText(err.Error()), Kind: ErrLoad, Err: err}
	}
	return inFileOrder(all, err, src)
}

// locateDecoded finds a decoded key (services.web.ports[0].target) in the
// file that sets it, the last one that does when several files do (the
// value decoded is the one that won the merge).
func (s *sources) locateDecoded(key string) (string, int) {
	path := strings.Split(reListIndex().ReplaceAllString(key, ".$1"), ".")
	anyNode := func(*yaml.Node) bool { return true }
	files := s.allFiles()
	for i := len(files) - 1; i >= 0; i-- {
		if line, _ := findWhere(s.node(files[i]), path, "", anyNode); line > 0 {
			return s.rel(files[i]), line
		}
	}
	return s.locate(strings.Join(path, "."))
}

// decodeMessage says what the value should look like.
func decodeMessage(reason string) string {
	if m := reDuration().FindStringSubmatch(reason); m != nil {
		return fmt.Sprintf("must be a duration such as 10s or 1m30s, got %q", m[1])
	}
	if m := reSize().FindStringSubmatch(reason); m != nil {
		return fmt.Sprintf("must be a size such as 512m or 2g, got %q", m[1])
	}
	if reStrconv().MatchString(reason) {
		return castMessage(reason)
	}
	return reason
}

// inFileOrder makes the problem that comes first in the files the error,
// with at most maxAlsoErrors others after it and a count of the rest.
func inFileOrder(all []*LoadError, err error, src *sources) *LoadError {
	files := src.allFiles()
	rank := func(e *LoadError) int {
		if i := slices.IndexFunc(files, func(f string) bool { return src.rel(f) == e.File }); i >= 0 {
			return i
		}
		return len(files)
	}
	slices.SortStableFunc(all, func(a, b *LoadError) int {
		if c := rank(a) - rank(b); c != 0 {
			return c
		}
		return lineOrLast(a.Line) - lineOrLast(b.Line)
	})
	first := all[0]
	first.Err = err
	first.Also = all[1:]
	if n := len(first.Also) - maxAlsoErrors; n > 0 {
		first.Also = append(first.Also[:maxAlsoErrors:maxAlsoErrors], &LoadError{Msg: fmt.Sprintf("(and %d more)", n)})
	}
	return first
}

func lineOrLast(line int) int {
	if line == 0 {
		return 1 << 30
	}
	return line
}
