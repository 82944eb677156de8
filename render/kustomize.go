package render

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"berth/convert"

	"sigs.k8s.io/yaml"
)

// BaseEnv is the environment whose values the Kustomize base holds.
const BaseEnv = "local"

// Kustomize writes base/ (the objects every environment has, with the
// values of BaseEnv) and overlays/<env>/ for each environment: JSON patches
// that touch only knob fields, the objects only that environment has, and
// deletions of base objects it lacks. envs maps environment names to their
// conversions and must hold BaseEnv. It returns the files written.
func Kustomize(dir string, envs map[string]*convert.Bundle) ([]string, error) {
	base, ok := envs[BaseEnv]
	if !ok {
		return nil, fmt.Errorf("kustomize: the %s environment is needed for the base", BaseEnv)
	}
	rendered := map[string]map[string]map[string]any{} // env → ref → object
	for name, b := range envs {
		objs, err := refMaps(b.Objects)
		if err != nil {
			return nil, err
		}
		rendered[name] = objs
	}
	common := commonRefs(rendered)
	files := map[string][]byte{}
	var baseObjs []convert.Object
	for _, o := range base.Objects {
		if common[refKey(convert.Kind(o), o.GetNamespace(), o.GetName())] {
			baseObjs = append(baseObjs, o)
		}
	}
	if err := addGrouped(files, "base/", baseObjs); err != nil {
		return nil, err
	}
	for name, b := range envs {
		if err := overlay(files, name, b, rendered[BaseEnv], rendered[name], common); err != nil {
			return nil, err
		}
	}
	return writeTree(dir, files)
}

func refKey(kind, ns, name string) string { return kind + "/" + ns + "/" + name }

func refMaps(objs []convert.Object) (map[string]map[string]any, error) {
	out := map[string]map[string]any{}
	for _, o := range objs {
		m, err := ToMap(o)
		if err != nil {
			return nil, err
		}
		out[refKey(convert.Kind(o), o.GetNamespace(), o.GetName())] = m
	}
	return out, nil
}

// commonRefs are the objects every environment renders.
func commonRefs(rendered map[string]map[string]map[string]any) map[string]bool {
	out := map[string]bool{}
	for ref := range rendered[BaseEnv] {
		out[ref] = true
		for _, objs := range rendered {
			if _, ok := objs[ref]; !ok {
				out[ref] = false
			}
		}
	}
	return out
}

// addGrouped writes objects one file per service under prefix, plus the
// kustomization listing them.
func addGrouped(files map[string][]byte, prefix string, objs []convert.Object) error {
	groups := map[string][]convert.Object{}
	for _, o := range objs {
		groups[FileName(o)] = append(groups[FileName(o)], o)
	}
	var resources []string
	for _, f := range sortedGroupNames(groups) {
		data, err := Stream(groups[f])
		if err != nil {
			return err
		}
		files[prefix+f] = data
		resources = append(resources, f)
	}
	return addKustomization(files, prefix, map[string]any{"resources": resources})
}

func sortedGroupNames(groups map[string][]convert.Object) []string {
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func addKustomization(files map[string][]byte, prefix string, k map[string]any) error {
	k["apiVersion"] = "kustomize.config.k8s.io/v1beta1"
	k["kind"] = "Kustomization"
	data, err := yaml.Marshal(k)
	if err != nil {
		return err
	}
	files[prefix+"kustomization.yaml"] = data
	return nil
}

// overlay writes overlays/<env>/: its own objects, patches and deletions.
func overlay(files map[string][]byte, env string, b *convert.Bundle, base, mine map[string]map[string]any, common map[string]bool) error {
	prefix := "overlays/" + env + "/"
	resources := []string{"../../base"}
	var own []convert.Object
	for _, o := range b.Objects {
		if !common[refKey(convert.Kind(o), o.GetNamespace(), o.GetName())] {
			own = append(own, o)
		}
	}
	if len(own) > 0 {
		data, err := Stream(own)
		if err != nil {
			return err
		}
		files[prefix+"only-"+env+".yaml"] = data
		resources = append(resources, "only-"+env+".yaml")
	}
	var patches []any
	for _, ref := range sortedMapKeys(base) {
		if !common[ref] {
			continue
		}
		ops := knobOps(base[ref], mine[ref])
		if len(ops) == 0 {
			continue
		}
		// JSON, not YAML: Kustomize loses the final newline of block
		// scalars in YAML patches.
		data, err := json.Marshal(ops)
		if err != nil {
			return err
		}
		patches = append(patches, map[string]any{"target": targetOf(base[ref]), "patch": string(data)})
	}
	k := map[string]any{"resources": resources}
	if len(patches) > 0 {
		k["patches"] = patches
	}
	return addKustomization(files, prefix, k)
}

func sortedMapKeys(m map[string]map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func targetOf(m map[string]any) map[string]any {
	meta, _ := m["metadata"].(map[string]any)
	group, version, _ := strings.Cut(m["apiVersion"].(string), "/")
	if version == "" {
		group, version = "", group
	}
	t := map[string]any{"group": group, "version": version, "kind": m["kind"], "name": meta["name"]}
	if ns, ok := meta["namespace"].(string); ok {
		t["namespace"] = ns
	}
	return t
}

// pointedField is a knob field with its JSON pointer.
type pointedField struct {
	pointer string
	value   any
}

// knobOps are the JSON patch operations turning base into mine, one per
// differing knob field: removals (last first), replacements, additions.
func knobOps(base, mine map[string]any) []map[string]any {
	kind, _ := base["kind"].(string)
	bf, mf := knobFields(kind, base), knobFields(kind, mine)
	var removes, replaces, adds []map[string]any
	for _, k := range sortedAnyKeys(bf) {
		if _, ok := mf[k]; !ok {
			removes = append(removes, map[string]any{"op": "remove", "path": bf[k].pointer})
		}
	}
	for _, k := range sortedAnyKeys(mf) {
		b, inBase := bf[k]
		switch {
		case !inBase:
			adds = append(adds, map[string]any{"op": "add", "path": mf[k].pointer, "value": mf[k].value})
		case !jsonEqual(b.value, mf[k].value):
			replaces = append(replaces, map[string]any{"op": "replace", "path": b.pointer, "value": mf[k].value})
		}
	}
	sort.SliceStable(removes, func(i, j int) bool { return removes[i]["path"].(string) > removes[j]["path"].(string) })
	return append(append(removes, replaces...), adds...)
}

func sortedAnyKeys(m map[string]pointedField) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// knobFields finds every knob field of an object, by readable path.
func knobFields(kind string, m map[string]any) map[string]pointedField {
	out := map[string]pointedField{}
	var taken [][]string
	for _, kp := range knobPathsBroadFirst(kind) {
		walkMatches(m, kp.Segments, nil, "", "", func(segs []string, display, ptr string, v any) {
			for _, t := range taken {
				if isPrefix(t, segs) || isPrefix(segs, t) {
					return
				}
			}
			taken = append(taken, segs)
			out[display] = pointedField{pointer: ptr, value: v}
		})
	}
	return out
}

func walkMatches(node any, pattern, segs []string, display, ptr string, fn func([]string, string, string, any)) {
	if len(pattern) == 0 {
		fn(segs, display, ptr, node)
		return
	}
	switch n := node.(type) {
	case map[string]any:
		for _, k := range sortedKeys(n) {
			if ok, _ := path.Match(pattern[0], k); ok {
				walkMatches(n[k], pattern[1:], append(segs[:len(segs):len(segs)], k), joinKey(display, k), ptr+"/"+escapePointer(k), fn)
			}
		}
	case []any:
		_, named := itemNames(n)
		for i, item := range n {
			seg := strconv.Itoa(i)
			if named {
				seg = nameOf(item)
			}
			if ok, _ := path.Match(pattern[0], seg); ok {
				walkMatches(item, pattern[1:], append(segs[:len(segs):len(segs)], seg), display+"["+seg+"]", ptr+"/"+strconv.Itoa(i), fn)
			}
		}
	}
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
