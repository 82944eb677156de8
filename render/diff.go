package render

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"berth/convert"
)

// FieldChange is one field that differs between two renders of an object.
type FieldChange struct {
	Segments []string // JSON path; a list item is named by its "name", else its index
	Display  string   // readable path: spec.template.spec.containers[web].image
	From, To any      // nil when the field is absent on that side
}

// ObjectDiff is how one object differs between two renders.
type ObjectDiff struct {
	Kind, Namespace, Name string
	Annotations           map[string]string
	OnlyIn                string // "a" or "b" when the object exists in one render only
	Changes               []FieldChange
}

// Ref is "Kind namespace/name".
func (d ObjectDiff) Ref() string {
	if d.Namespace == "" {
		return d.Kind + " " + d.Name
	}
	return d.Kind + " " + d.Namespace + "/" + d.Name
}

// Diff compares two renders object by object and field by field. Objects
// that are equal are left out.
func Diff(a, b []convert.Object) ([]ObjectDiff, error) {
	ma, err := indexObjects(a)
	if err != nil {
		return nil, err
	}
	mb, err := indexObjects(b)
	if err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	for k := range ma {
		keys[k] = true
	}
	for k := range mb {
		keys[k] = true
	}
	var out []ObjectDiff
	for _, k := range sortedSet(keys) {
		oa, inA := ma[k]
		ob, inB := mb[k]
		d := objectDiff(oa, ob)
		switch {
		case !inB:
			d.OnlyIn = "a"
		case !inA:
			d.OnlyIn = "b"
		default:
			diffValue(nil, "", oa, ob, &d.Changes)
			if d.Kind == "Secret" {
				redact(d.Changes)
			}
			if len(d.Changes) == 0 {
				continue
			}
		}
		out = append(out, d)
	}
	return out, nil
}

func objectDiff(oa, ob map[string]any) ObjectDiff {
	o := oa
	if o == nil {
		o = ob
	}
	meta, _ := o["metadata"].(map[string]any)
	d := ObjectDiff{Kind: str(o["kind"]), Namespace: str(meta["namespace"]), Name: str(meta["name"]), Annotations: map[string]string{}}
	if ann, ok := meta["annotations"].(map[string]any); ok {
		for k, v := range ann {
			d.Annotations[k] = str(v)
		}
	}
	return d
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func indexObjects(objs []convert.Object) (map[string]map[string]any, error) {
	out := make(map[string]map[string]any, len(objs))
	for _, o := range objs {
		m, err := ToMap(o)
		if err != nil {
			return nil, err
		}
		key := fmt.Sprintf("%03d %s %s %s", kindRank(convert.Kind(o)), convert.Kind(o), o.GetNamespace(), o.GetName())
		out[key] = m
	}
	return out, nil
}

// kindRank keeps the diff in the order manifests are printed.
func kindRank(kind string) int {
	order := []string{"Namespace", "ServiceAccount", "Secret", "ConfigMap", "PersistentVolumeClaim", "Service",
		"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "NetworkPolicy", "Ingress", "HTTPRoute",
		"HorizontalPodAutoscaler", "PodDisruptionBudget"}
	for i, k := range order {
		if k == kind {
			return i
		}
	}
	return len(order)
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func diffValue(segs []string, display string, a, b any, out *[]FieldChange) {
	ma, okA := a.(map[string]any)
	mb, okB := b.(map[string]any)
	if okA && okB {
		keys := map[string]bool{}
		for k := range ma {
			keys[k] = true
		}
		for k := range mb {
			keys[k] = true
		}
		for _, k := range sortedSet(keys) {
			diffValue(append(segs[:len(segs):len(segs)], k), joinKey(display, k), ma[k], mb[k], out)
		}
		return
	}
	la, okA := a.([]any)
	lb, okB := b.([]any)
	if okA && okB {
		diffList(segs, display, la, lb, out)
		return
	}
	if !jsonEqual(a, b) {
		*out = append(*out, FieldChange{Segments: segs, Display: display, From: a, To: b})
	}
}

// diffList pairs items by name when every item has one, else by index.
func diffList(segs []string, display string, a, b []any, out *[]FieldChange) {
	na, okA := itemNames(a)
	nb, okB := itemNames(b)
	if !okA || !okB {
		for i := 0; i < max(len(a), len(b)); i++ {
			var x, y any
			if i < len(a) {
				x = a[i]
			}
			if i < len(b) {
				y = b[i]
			}
			idx := strconv.Itoa(i)
			diffValue(append(segs[:len(segs):len(segs)], idx), display+"["+idx+"]", x, y, out)
		}
		return
	}
	keys := map[string]bool{}
	for k := range na {
		keys[k] = true
	}
	for k := range nb {
		keys[k] = true
	}
	for _, k := range sortedSet(keys) {
		diffValue(append(segs[:len(segs):len(segs)], k), display+"["+k+"]", na[k], nb[k], out)
	}
}

func itemNames(items []any) (map[string]any, bool) {
	out := map[string]any{}
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, false
		}
		n, ok := m["name"].(string)
		if !ok {
			return nil, false
		}
		out[n] = it
	}
	return out, true
}

func joinKey(display, key string) string {
	if strings.ContainsAny(key, "./[]") {
		return display + "[" + strconv.Quote(key) + "]"
	}
	if display == "" {
		return key
	}
	return display + "." + key
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func redact(changes []FieldChange) {
	for i, c := range changes {
		if len(c.Segments) > 0 && (c.Segments[0] == "data" || c.Segments[0] == "stringData") {
			if c.From != nil {
				changes[i].From = "(redacted)"
			}
			if c.To != nil {
				changes[i].To = "(redacted)"
			}
		}
	}
}

// WriteDiff prints diffs readably: one block per object, one line per field.
func WriteDiff(w io.Writer, nameA, nameB string, diffs []ObjectDiff) {
	if len(diffs) == 0 {
		fmt.Fprintf(w, "%s and %s render the same objects\n", nameA, nameB)
		return
	}
	fmt.Fprintf(w, "--- %s\n+++ %s\n", nameA, nameB)
	for _, d := range diffs {
		switch d.OnlyIn {
		case "a":
			fmt.Fprintf(w, "- %s (only in %s)%s\n", d.Ref(), nameA, knobTag(convert.KnobObject(d.Kind, d.Name, d.Annotations)))
		case "b":
			fmt.Fprintf(w, "+ %s (only in %s)%s\n", d.Ref(), nameB, knobTag(convert.KnobObject(d.Kind, d.Name, d.Annotations)))
		default:
			fmt.Fprintf(w, "~ %s\n", d.Ref())
			for _, c := range d.Changes {
				fmt.Fprintf(w, "    %s: %s → %s%s\n", c.Display, showValue(c.From), showValue(c.To), knobTag(KnobOf(d.Kind, c.Segments)))
			}
		}
	}
}

func knobTag(knob string) string {
	if knob == "" {
		return "   [NOT A KNOB]"
	}
	return "   [" + knob + "]"
}

func showValue(v any) string {
	if v == nil {
		return "(absent)"
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if s := string(data); len(s) <= 160 {
		return s
	}
	return string(data[:157]) + "..."
}

// KnobViolations lists every difference that no declared knob explains:
// a changed field outside convert.KnobPaths, or an object present in one
// render only that no knob creates.
func KnobViolations(diffs []ObjectDiff) []string {
	var out []string
	for _, d := range diffs {
		if d.OnlyIn != "" {
			if convert.KnobObject(d.Kind, d.Name, d.Annotations) == "" {
				out = append(out, d.Ref()+" exists in one environment only, and no knob creates it")
			}
			continue
		}
		for _, c := range d.Changes {
			if KnobOf(d.Kind, c.Segments) == "" {
				out = append(out, d.Ref()+": "+c.Display+" differs, and it is not a knob")
			}
		}
	}
	return out
}

// KnobOf names the knob that may set the field at segs of a kind, or "".
func KnobOf(kind string, segs []string) string {
	for _, kp := range convert.KnobPaths[kind] {
		if matchPrefix(kp.Segments, segs) {
			return kp.Knob
		}
	}
	return ""
}

func matchPrefix(pattern, segs []string) bool {
	if len(segs) < len(pattern) {
		return false
	}
	for i, p := range pattern {
		if ok, _ := path.Match(p, segs[i]); !ok {
			return false
		}
	}
	return true
}
