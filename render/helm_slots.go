package render

import (
	"regexp"
	"strconv"
	"strings"
)

// The chart's knobs. A slot is one value in values.yaml (web.replicas,
// global.registry); a site is a field of a rendered object that a template
// computes from slots. Several sites read one slot where one knob shows in
// several places (a host in an Ingress rule and in its TLS hosts).
// Knobs inside longer strings (the log sink's host in Fluent Bit's
// configuration) are not sites: the firewall and the TLS setting follow the
// same URL, so they stay as rendered.

// slot is one knob value. It lands at shared when every slot with the same
// shared path holds the same value (one registry for every built image),
// else at own (each image keeps its registry under its service).
type slot struct {
	shared, own []string
	value       any
	path        []string // where it landed; nil when it could not be placed
}

// siteMode says how a site's template writes the field.
type siteMode int

const (
	modeField    siteMode = iota // a whole scalar field: its JSON
	modeTree                     // a whole map or list field: its YAML
	modeOptional                 // a map field that is left out when empty
	modeBlock                    // a multi-line string field: a literal block
)

// site is one field that a template computes.
type site struct {
	slots []*slot
	mode  siteMode
	// pipeline builds the Go template pipeline giving the field from the
	// slots' references; nil means the first slot's value as it is.
	pipeline func(refs []string) string
	put      func(marker string) // writes the marker in place of the field
}

// knobSet collects the slots and sites of one chart.
type knobSet struct {
	order []*slot
	byOwn map[string]*slot
	sites []*site
}

func newKnobSet() *knobSet { return &knobSet{byOwn: map[string]*slot{}} }

// slot returns the slot at own, creating it. Another value claiming the
// same knob gives nil: that field is then left as rendered.
func (k *knobSet) slot(shared, own []string, v any) *slot {
	key := strings.Join(own, "\x00")
	if s, ok := k.byOwn[key]; ok {
		if jsonEqual(s.value, v) {
			return s
		}
		return nil
	}
	s := &slot{shared: shared, own: own, value: v}
	k.byOwn[key] = s
	k.order = append(k.order, s)
	return s
}

// add records a site; a site reading a nil slot is dropped.
func (k *knobSet) add(mode siteMode, put func(string), pipeline func([]string) string, slots ...*slot) {
	for _, s := range slots {
		if s == nil {
			return
		}
	}
	k.sites = append(k.sites, &site{slots: slots, mode: mode, pipeline: pipeline, put: put})
}

// resolve places every slot and returns values.yaml's tree.
func (k *knobSet) resolve() map[string]any {
	agree := map[string]bool{}
	first := map[string]any{}
	for _, s := range k.order {
		key := strings.Join(s.shared, "\x00")
		if v, ok := first[key]; !ok {
			first[key], agree[key] = s.value, true
		} else if !jsonEqual(v, s.value) {
			agree[key] = false
		}
	}
	t := valueTree{root: map[string]any{}, leaves: map[string]any{}}
	for _, s := range k.order {
		p := s.own
		if agree[strings.Join(s.shared, "\x00")] {
			p = s.shared
		}
		if t.set(p, s.value) {
			s.path = p
		}
	}
	return t.root
}

// valueTree is values.yaml being built; leaves are the placed values (a
// map value such as resources is a leaf too, not a place for more keys).
type valueTree struct {
	root   map[string]any
	leaves map[string]any
}

// set places v at path unless another value is there, or a leaf is above
// it, or keys are below it.
func (t valueTree) set(path []string, v any) bool {
	key := strings.Join(path, "\x00")
	if old, ok := t.leaves[key]; ok {
		return jsonEqual(old, v)
	}
	m := t.root
	for i, seg := range path[:len(path)-1] {
		if _, leaf := t.leaves[strings.Join(path[:i+1], "\x00")]; leaf {
			return false
		}
		child, ok := m[seg].(map[string]any)
		if !ok {
			child = map[string]any{}
			m[seg] = child
		}
		m = child
	}
	if _, taken := m[path[len(path)-1]]; taken {
		return false
	}
	m[path[len(path)-1]] = v
	t.leaves[key] = v
	return true
}

// placed reports whether every slot of the site found its place.
func (s *site) placed() bool {
	for _, sl := range s.slots {
		if sl.path == nil {
			return false
		}
	}
	return true
}

// expr is the site's pipeline with the slots' references filled in.
func (s *site) expr() string {
	refs := make([]string, len(s.slots))
	for i, sl := range s.slots {
		refs[i] = valueRef(sl.path)
	}
	if s.pipeline == nil {
		return refs[0]
	}
	return s.pipeline(refs)
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// valueRef reads a value: .Values.web.replicas, with index for the keys
// from the first that is no identifier on: (index .Values "my-svc" "replicas").
func valueRef(path []string) string {
	n := 0
	for n < len(path) && identifier.MatchString(path[n]) {
		n++
	}
	ref := strings.Join(append([]string{".Values"}, path[:n]...), ".")
	if n == len(path) {
		return ref
	}
	args := []string{"index", ref}
	for _, seg := range path[n:] {
		args = append(args, strconv.Quote(seg))
	}
	return "(" + strings.Join(args, " ") + ")"
}

// marker stands for site i in a template until the text is written.
func marker(i int) string { return "__BERTH_KNOB_" + strconv.Itoa(i) + "__" }
