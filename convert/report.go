package convert

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Status is what happened to one compose key.
type Status string

// The three fates of a compose key.
const (
	Mapped       Status = "mapped"
	Approximated Status = "approximated"
	Dropped      Status = "dropped"
)

// Entry is one line of the conversion report.
type Entry struct {
	Service string `json:"service,omitempty"` // empty for top-level keys
	Key     string `json:"key"`
	Status  Status `json:"status"`
	Why     string `json:"why,omitempty"`
}

// Report lists what happened to every compose key, plus notes such as the
// dependency order and allowed network edges.
type Report struct {
	Entries []Entry            `json:"entries"`
	Notes   []string           `json:"notes,omitempty"`
	seen    map[seenKey]seenAs // keys already reported, by service
	// seenAlso are the seen sets of reports absorbed: kept apart, not
	// merged into seen, which would copy one entry at a time.
	seenAlso []map[seenKey]seenAs
	// services sizes the entries, notes and seen set when they are made:
	// grown one append at a time, large reports were copied over and over.
	services int
}

// seenKey is a key of a service. A struct, not a joined string: joining
// allocated for every entry.
type seenKey struct{ service, key string }

// seenAs says how a key was reported: itself, or as the top-level key of
// one below it ("deploy" for "deploy.resources"). One entry then serves
// both for the usual top-level keys.
type seenAs uint8

const (
	seenExact seenAs = 1 << iota
	seenTop
)

func (r *Report) add(service, key string, s Status, why string, args ...any) {
	if len(args) > 0 {
		why = fmt.Sprintf(why, args...)
	}
	if r.Entries == nil {
		r.Entries = make([]Entry, 0, 8*r.services+16)
	}
	r.Entries = append(r.Entries, Entry{Service: service, Key: key, Status: s, Why: why})
	if r.seen == nil {
		r.seen = make(map[seenKey]seenAs, 8*r.services+16)
	}
	if top := topKey(key); top != key {
		r.seen[seenKey{service, top}] |= seenTop
		r.seen[seenKey{service, key}] |= seenExact
	} else {
		r.seen[seenKey{service, key}] |= seenTop | seenExact
	}
}

// has reports whether a key (or one below it) of service was reported.
func (r *Report) has(service, key string) bool {
	return r.seenAs(seenKey{service, topKey(key)})&seenTop != 0
}

// hasKey reports whether exactly this key of service was reported.
func (r *Report) hasKey(service, key string) bool {
	return r.seenAs(seenKey{service, key})&seenExact != 0
}

func (r *Report) seenAs(k seenKey) seenAs {
	as := r.seen[k]
	for _, also := range r.seenAlso {
		as |= also[k]
	}
	return as
}

// topKey is the first segment of a key path: "deploy.resources" → "deploy".
func topKey(key string) string {
	for i := 0; i < len(key); i++ {
		if key[i] == '.' || key[i] == '[' {
			return key[:i]
		}
	}
	return key
}

func (r *Report) mapped(service, key, why string, args ...any) {
	r.add(service, key, Mapped, why, args...)
}

func (r *Report) approx(service, key, why string, args ...any) {
	r.add(service, key, Approximated, why, args...)
}

func (r *Report) dropped(service, key, why string, args ...any) {
	r.add(service, key, Dropped, why, args...)
}

func (r *Report) note(format string, args ...any) {
	r.addNote(fmt.Sprintf(format, args...))
}

// addNote adds a note already written out.
func (r *Report) addNote(n string) {
	if r.Notes == nil {
		r.Notes = make([]string, 0, 2*r.services+16)
	}
	r.Notes = append(r.Notes, n)
}

// absorb appends the entries and notes of o, as if they had been added to r.
func (r *Report) absorb(o *Report) {
	r.Entries = append(r.Entries, o.Entries...)
	r.Notes = append(r.Notes, o.Notes...)
	if len(o.seen) > 0 {
		r.seenAlso = append(r.seenAlso, o.seen)
	}
	r.seenAlso = append(r.seenAlso, o.seenAlso...)
}

// sort orders entries by service then key, keeping the first entry for a
// duplicated service+key, so the report is stable.
func (r *Report) sort() {
	slices.SortStableFunc(r.Entries, func(a, b Entry) int {
		if a.Service != b.Service {
			return strings.Compare(a.Service, b.Service)
		}
		return strings.Compare(a.Key, b.Key)
	})
}

// Counts returns how many entries have each status.
func (r Report) Counts() map[Status]int {
	c := map[Status]int{}
	for _, e := range r.Entries {
		c[e.Status]++
	}
	return c
}

// Summary is the one line printed on stderr after a conversion.
func (r Report) Summary() string {
	return r.counts() + " (--report=text for details)"
}

func (r Report) counts() string {
	c := r.Counts()
	return fmt.Sprintf("berth: %d keys mapped, %d approximated, %d dropped", c[Mapped], c[Approximated], c[Dropped])
}

// WriteText prints a readable report.
func (r Report) WriteText(w io.Writer) {
	last := "\x00"
	for _, e := range r.Entries {
		if e.Service != last {
			title := "top level"
			if e.Service != "" {
				title = "service " + e.Service
			}
			fmt.Fprintf(w, "%s:\n", title)
			last = e.Service
		}
		fmt.Fprintf(w, "  %-13s %-28s %s\n", e.Status, e.Key, e.Why)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	fmt.Fprintln(w, r.counts()) // the details are above: no hint to ask for them
}
