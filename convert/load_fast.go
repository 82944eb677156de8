package convert

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"berth/convert/internal/fastyaml"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// fastLoad builds the project compose-go's loader would, for a single
// compose file that keeps to the subset of compose most files use (see
// fastServiceKeys), without compose-go's generic model: parsing, schema
// validation and the reflective decode cost about 250 ms for 1,000
// services, this about a tenth of that. It declines (ok false) whatever it
// does not handle exactly as compose-go does, and anything that would make
// compose-go warn or fail, so compose-go then loads the file the usual way
// and gives its errors and warnings. TestFastLoadEqualsCompose compares the
// two loaders on every fixture, corpus and generated file, and
// FuzzFastLoadEqualsCompose on mutations of them.
func fastLoad(in loader.FastInput) (*types.Project, bool) {
	if len(in.Files) != 1 || in.Files[0].Content == nil || in.Files[0].Filename == "-" {
		return nil, false
	}
	root, aliases, ok := fastyaml.ParseWithAliases(in.Files[0].Content)
	if ok && !aliasesCompose(&root, aliases) {
		ok = false
	}
	if !ok || root.Kind != fastyaml.Mapping {
		if declineSite != nil {
			declineSite("", "fastyaml")
		}
		return nil, false
	}
	d := &fastDecoder{in: in}
	p := d.project(&root)
	if d.declined {
		return nil, false
	}
	return p, true
}

// fastDecoder reads the parsed file; any method that meets something it
// does not handle sets declined, and the caller gives up on the result.
type fastDecoder struct {
	in       loader.FastInput
	declined bool
	key      string // the key being read, for declineSite
}

// declineSite, when set (tests), hears where the fast path gave up on a
// file: the service key being read and the line of code.
var declineSite func(key, site string)

// decline marks the file as one for compose-go; it returns false so that
// checks read `return d.decline()`.
func (d *fastDecoder) decline() bool {
	if !d.declined && declineSite != nil {
		_, file, line, _ := runtime.Caller(1)
		declineSite(d.key, fmt.Sprintf("%s:%d", filepath.Base(file), line))
	}
	d.declined = true
	return false
}

func (d *fastDecoder) project(root *fastyaml.Node) *types.Project {
	p := &types.Project{
		Name:        d.in.ProjectName,
		WorkingDir:  d.in.WorkingDir,
		Environment: d.in.Environment,
	}
	sawServices, sawVersion := false, false
	eachEntry(root, func(key string, value *fastyaml.Node) {
		d.key = key
		switch key {
		case "name":
			// already in in.ProjectName (compose-go reads it before loading)
			d.str(value)
		case "services":
			sawServices = true
			p.Services = d.services(value)
		case "volumes":
			p.Volumes = d.volumes(value)
		case "networks":
			p.Networks = d.networks(value)
		case "secrets":
			p.Secrets = d.secrets(value)
		case "configs":
			p.Configs = d.configs(value)
		case "version":
			d.str(value)
			sawVersion = true
		default:
			d.extension(&p.Extensions, key, value)
		}
	})
	if sawVersion && !d.declined {
		d.in.WarnObsoleteVersion(d.in.Files[0].Filename)
	}
	if !sawServices || len(p.Services) == 0 {
		d.decline() // compose-go has its own words for a project without services
	}
	d.defaultNetwork(p)
	d.topLevelNames(p)
	return p
}

// eachEntry calls fn for every key and value of a mapping node.
func eachEntry(n *fastyaml.Node, fn func(key string, value *fastyaml.Node)) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i].Value, &n.Content[i+1])
	}
}

// extension keeps an x- key's value as compose-go's model holds it;
// any other key declines.
func (d *fastDecoder) extension(into *types.Extensions, key string, value *fastyaml.Node) {
	if !strings.HasPrefix(key, "x-") {
		d.decline()
		return
	}
	if *into == nil {
		*into = types.Extensions{}
	}
	(*into)[key] = d.plain(value)
}

// plain is a node as compose-go's generic model holds it after
// interpolation (no casts: extensions have none).
func (d *fastDecoder) plain(n *fastyaml.Node) any {
	switch n.Kind {
	case fastyaml.Mapping:
		m := make(map[string]any, len(n.Content)/2)
		eachEntry(n, func(key string, value *fastyaml.Node) { m[key] = d.plain(value) })
		return m
	case fastyaml.Sequence:
		s := make([]any, len(n.Content))
		for i := range n.Content {
			s[i] = d.plain(&n.Content[i])
		}
		return s
	}
	return d.scalarValue(n)
}

// mapping declines a node that is not a mapping.
func (d *fastDecoder) mapping(n *fastyaml.Node) bool {
	if n.Kind != fastyaml.Mapping {
		return d.decline()
	}
	return true
}

// str returns a string scalar, interpolated; anything else declines.
func (d *fastDecoder) str(n *fastyaml.Node) string {
	if n.Kind != fastyaml.Scalar || n.Tag != fastyaml.Str {
		d.decline()
		return ""
	}
	return d.interpolate(n.Value)
}

// interpolate substitutes variables as compose-go does, with the same
// function, so an unset variable logs the same warning (berth turns those
// into one warning per variable, whatever their order and count); an
// invalid template declines (compose-go's error names its place).
func (d *fastDecoder) interpolate(s string) string {
	if strings.IndexByte(s, '$') < 0 {
		return s
	}
	out, err := d.in.Substitute(s, d.in.Lookup)
	if err != nil {
		d.decline()
		return ""
	}
	return out
}

// castInt reads an integer at a path where compose-go casts strings to
// integers (after interpolation); YAML integers as they are.
func (d *fastDecoder) castInt(n *fastyaml.Node) int {
	if n.Kind != fastyaml.Scalar {
		d.decline()
		return 0
	}
	switch n.Tag {
	case fastyaml.Int:
		v, err := strconv.Atoi(n.Value)
		if err != nil {
			d.decline()
		}
		return v
	case fastyaml.Str:
		// compose-go casts strings at this path (loader/interpolate.go)
		v, err := strconv.Atoi(d.interpolate(n.Value))
		if err != nil {
			d.decline()
		}
		return v
	}
	d.decline()
	return 0
}

// castBool reads a boolean the way compose-go's toBoolean cast does for
// strings; YAML booleans as they are.
func (d *fastDecoder) castBool(n *fastyaml.Node) bool {
	if n.Kind != fastyaml.Scalar {
		return d.decline()
	}
	switch n.Tag {
	case fastyaml.Bool:
		b, _ := n.Any().(bool)
		return b
	case fastyaml.Str:
		// yes, no, on, off and y, n make compose-go warn: declined
		switch strings.ToLower(d.interpolate(n.Value)) {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return d.decline()
}

// stringList reads a sequence of string scalars that has no repeats (the
// schema's uniqueItems), not even of the part before an `=` (compose-go's
// unicity merge folds those in most lists).
func (d *fastDecoder) stringList(n *fastyaml.Node) []string {
	return d.uniqueList(n, d.str, func(s string) string {
		key, _, _ := strings.Cut(s, "=")
		return key
	})
}

// uniqueList reads a non-empty sequence, each item with read, and declines
// an item whose key is an earlier one's.
func (d *fastDecoder) uniqueList(n *fastyaml.Node, read func(*fastyaml.Node) string, key func(string) string) []string {
	if n.Kind != fastyaml.Sequence || len(n.Content) == 0 {
		d.decline()
		return nil
	}
	out := make([]string, len(n.Content))
	seen := make(map[string]bool, len(n.Content))
	for i := range n.Content {
		out[i] = read(&n.Content[i])
		k := key(out[i])
		if seen[k] {
			d.decline()
		}
		seen[k] = true
	}
	return out
}

// name declines a key that does not match the schema's pattern for names
// under services, volumes and networks, ^[a-zA-Z0-9._-]+$.
func (d *fastDecoder) name(key string) string {
	if key == "" {
		d.decline()
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			d.decline()
		}
	}
	return key
}
