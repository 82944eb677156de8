package promote

import (
	"fmt"
	"io"
	"strings"

	"berth/internal/kube"
)

// maxFieldLines bounds the field-level diff printed per object.
const maxFieldLines = 20

// Print writes the plan for a person: images, changes (with field-level
// diffs), what is pruned, the gates' verdicts and notes. Secret values never
// appear (kube's diff redacts them).
func (p *Plan) Print(w io.Writer) {
	fmt.Fprintf(w, "promote %s (env %s) to context %s, namespace %s\n", p.Project, p.Env, p.Context, p.Namespace)
	fmt.Fprintf(w, "  compose %s, commit %s, manifests %s\n", short(p.ComposeHash), orNone(p.GitCommit), short(p.ManifestHash))
	p.printImages(w)
	p.printChanges(w)
	fmt.Fprintln(w, "gates:")
	for _, v := range p.Gates {
		mark, msg := "ok  ", v.Message
		switch {
		case v.Overridden:
			mark, msg = "skip", fmt.Sprintf("%s (overridden by %s)", v.Message, v.Flag)
		case !v.OK:
			mark = "NO  "
			if v.Flag != "" {
				msg += " (override: " + v.Flag + ")"
			}
		}
		fmt.Fprintf(w, "  %s %-8s %s\n", mark, v.Gate, msg)
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

func (p *Plan) printImages(w io.Writer) {
	if len(p.Images) == 0 {
		return
	}
	fmt.Fprintln(w, "images:")
	for _, img := range p.Images {
		switch {
		case img.Pinned == "":
			fmt.Fprintf(w, "  %s: NOT PINNED: %s\n", img.Rendered, img.Problem)
		case img.Source != "" && img.Pushed:
			fmt.Fprintf(w, "  %s: pushed from %s, pinned %s\n", img.Rendered, img.Source, digestOf(img.Pinned))
		case img.Source != "":
			fmt.Fprintf(w, "  %s: would push %s, pinned %s\n", img.Rendered, img.Source, digestOf(img.Pinned))
		default:
			fmt.Fprintf(w, "  %s: pinned %s\n", img.Rendered, digestOf(img.Pinned))
		}
	}
}

func (p *Plan) printChanges(w io.Writer) {
	created, changed, unchanged := p.Counts()
	if p.NothingChanges() {
		fmt.Fprintf(w, "nothing changes: all %d objects are as they are live\n", unchanged)
		return
	}
	fmt.Fprintf(w, "changes: %d created, %d changed, %d replaced, %d pruned, %d unchanged\n", created, changed, len(p.Replace), len(p.Pruned), unchanged)
	for _, d := range p.Diffs {
		switch d.Action {
		case kube.Created:
			fmt.Fprintf(w, "  + %s\n", d.Ref)
		case kube.Configured:
			fmt.Fprintf(w, "  ~ %s\n", d.Ref)
			printFields(w, d.Changes)
		}
	}
	for _, r := range p.Replace {
		fmt.Fprintf(w, "  ! %s replaced (deleted and created again): %s\n", r.Ref, firstLine(r.Why))
	}
	for _, r := range p.Pruned {
		fmt.Fprintf(w, "  - %s pruned\n", r)
	}
}

func printFields(w io.Writer, changes []kube.FieldChange) {
	shown := 0
	for _, c := range changes {
		if provenanceOnly([]kube.FieldChange{c}) {
			continue
		}
		if shown == maxFieldLines {
			fmt.Fprintf(w, "      ... and %d more fields\n", len(changes)-shown)
			return
		}
		fmt.Fprintf(w, "      %s\n", c)
		shown++
	}
}

func digestOf(pinned string) string {
	if i := strings.LastIndex(pinned, "@"); i >= 0 {
		d := pinned[i+1:]
		if len(d) > 19 {
			return d[:19]
		}
		return d
	}
	return pinned
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
