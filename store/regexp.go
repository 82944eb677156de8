package store

import (
	"database/sql/driver"
	"fmt"
	"regexp"
	"sync"

	"modernc.org/sqlite"
)

// regexpFuncName is berth's own name, so it cannot clash with a REGEXP another
// package registers on the same driver.
const regexpFuncName = "berth_regexp"

// regexpCacheSize bounds the compiled patterns kept; the function is called
// once per row with the same pattern, so compiling each time would dominate.
const regexpCacheSize = 64

var regexpCache = struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}{m: map[string]*regexp.Regexp{}}

func compileRegexp(pattern string) (*regexp.Regexp, error) {
	regexpCache.Lock()
	defer regexpCache.Unlock()
	if re, ok := regexpCache.m[pattern]; ok {
		return re, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	if len(regexpCache.m) >= regexpCacheSize {
		clear(regexpCache.m) // crude but bounded; patterns come from people typing
	}
	regexpCache.m[pattern] = re
	return re, nil
}

// sqlRegexp implements berth_regexp(pattern, text) for SQLite.
func sqlRegexp(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	pattern, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("%s: pattern must be text, got %T", regexpFuncName, args[0])
	}
	re, err := compileRegexp(pattern)
	if err != nil {
		return nil, err
	}
	switch v := args[1].(type) {
	case string:
		return re.MatchString(v), nil
	case []byte:
		return re.Match(v), nil
	case nil:
		return false, nil
	default:
		return re.MatchString(fmt.Sprint(v)), nil
	}
}
