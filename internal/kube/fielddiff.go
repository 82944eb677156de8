package kube

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// FieldChange is one leaf that differs between the live object and the one
// that would be applied. Old is nil for an added field, New for a removed one.
type FieldChange struct {
	Path string `json:"path"` // e.g. spec.template.spec.containers[name=web].image
	Old  any    `json:"old,omitempty"`
	New  any    `json:"new,omitempty"`
}

// String renders "path: old -> new" with JSON values.
func (f FieldChange) String() string {
	return fmt.Sprintf("%s: %s -> %s", f.Path, jsonValue(f.Old), jsonValue(f.New))
}

func jsonValue(v any) string {
	if v == nil {
		return "(none)"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Redacted stands in for Secret values in diffs: secrets never reach a
// terminal, a dashboard or a log through a diff.
const Redacted = "(secret value hidden)"

// serverSetMetadata is metadata the API server or controllers write; it says
// nothing about what berth asked for.
var serverSetMetadata = []string{
	"managedFields", "resourceVersion", "generation", "uid", "creationTimestamp",
	"selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
}

var serverSetAnnotations = []string{
	"kubectl.kubernetes.io/last-applied-configuration",
	"deployment.kubernetes.io/revision",
}

// Normalize returns a copy of u without status and server-set metadata, the
// form in which a live object and a dry-run result are compared.
func Normalize(u *unstructured.Unstructured) *unstructured.Unstructured {
	n := u.DeepCopy()
	for _, f := range serverSetMetadata {
		unstructured.RemoveNestedField(n.Object, "metadata", f)
	}
	unstructured.RemoveNestedField(n.Object, "status")
	if ann := n.GetAnnotations(); ann != nil {
		for _, a := range serverSetAnnotations {
			delete(ann, a)
		}
		if len(ann) == 0 {
			unstructured.RemoveNestedField(n.Object, "metadata", "annotations")
		} else {
			n.SetAnnotations(ann)
		}
	}
	return n
}

// FieldDiff lists the leaves that differ between the normalised live and
// desired objects, sorted by path. Secret data values are redacted.
func FieldDiff(live, desired *unstructured.Unstructured) []FieldChange {
	var out []FieldChange
	diffValue("", Normalize(live).Object, Normalize(desired).Object, &out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	if desired.GetKind() == "Secret" {
		redactSecret(out)
	}
	return out
}

func redactSecret(changes []FieldChange) {
	for i, c := range changes {
		if !strings.HasPrefix(c.Path, "data") && !strings.HasPrefix(c.Path, "stringData") {
			continue
		}
		if c.Old != nil {
			changes[i].Old = Redacted
		}
		if c.New != nil {
			changes[i].New = Redacted
		}
	}
}

func diffValue(path string, a, b any, out *[]FieldChange) {
	if isEmpty(a) && isEmpty(b) {
		return // absent, null, {} and [] all mean "nothing set"
	}
	am, aIsMap := a.(map[string]any)
	bm, bIsMap := b.(map[string]any)
	if aIsMap && bIsMap {
		diffMap(path, am, bm, out)
		return
	}
	al, aIsList := a.([]any)
	bl, bIsList := b.([]any)
	if aIsList && bIsList {
		diffList(path, al, bl, out)
		return
	}
	if !scalarEqual(a, b) {
		*out = append(*out, FieldChange{Path: path, Old: a, New: b})
	}
}

func diffMap(path string, a, b map[string]any, out *[]FieldChange) {
	keys := make(map[string]bool, len(a)+len(b))
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	for k := range keys {
		diffValue(joinPath(path, k), a[k], b[k], out)
	}
}

// diffList matches items by their "name" when every item has a distinct one
// (containers, ports, env, volumes), so that inserting a container reports
// one added item rather than every later item as changed.
func diffList(path string, a, b []any, out *[]FieldChange) {
	an, aok := byName(a)
	bn, bok := byName(b)
	if aok && bok {
		names := map[string]bool{}
		for k := range an {
			names[k] = true
		}
		for k := range bn {
			names[k] = true
		}
		for n := range names {
			diffValue(fmt.Sprintf("%s[name=%s]", path, n), an[n], bn[n], out)
		}
		return
	}
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y any
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		diffValue(fmt.Sprintf("%s[%d]", path, i), x, y, out)
	}
}

func byName(items []any) (map[string]any, bool) {
	if len(items) == 0 {
		return map[string]any{}, true
	}
	m := make(map[string]any, len(items))
	for _, it := range items {
		obj, ok := it.(map[string]any)
		if !ok {
			return nil, false
		}
		name, ok := obj["name"].(string)
		if !ok || name == "" {
			return nil, false
		}
		if _, dup := m[name]; dup {
			return nil, false
		}
		m[name] = it
	}
	return m, true
}

func joinPath(path, key string) string {
	if strings.ContainsAny(key, ".[]") {
		key = `"` + key + `"` // e.g. labels with dots: metadata.labels."app.kubernetes.io/name"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// scalarEqual treats int64 and float64 holding the same number as equal:
// JSON decoding and the typed converter choose different Go types.
func scalarEqual(a, b any) bool {
	if fa, ok := number(a); ok {
		if fb, ok := number(b); ok {
			return fa == fb
		}
	}
	return reflect.DeepEqual(a, b)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}
