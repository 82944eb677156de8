package localenv

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
)

// Printer shows events on a terminal: one progress line per service state
// change, and log lines prefixed with a coloured service name like compose.
// With JSON set it prints every event as one JSON line instead (for CI).
type Printer struct {
	Out   io.Writer
	JSON  bool
	Color bool
	Logs  bool // print log lines (`up` in the foreground, `logs`)

	mu    sync.Mutex
	state map[string]ServiceState
	width int
}

var palette = []string{"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"}

// Run prints events until the channel closes.
func (p *Printer) Run(events <-chan Event) {
	for e := range events {
		p.Print(e)
	}
}

// Print shows one event.
func (p *Printer) Print(e Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.JSON {
		if e.Kind == EventLog && !p.Logs {
			return
		}
		data, err := json.Marshal(e)
		if err == nil {
			fmt.Fprintf(p.Out, "%s\n", data)
		}
		return
	}
	if p.state == nil {
		p.state = map[string]ServiceState{}
	}
	if len(e.Service) > p.width {
		p.width = len(e.Service)
	}
	switch e.Kind {
	case EventLog:
		if p.Logs {
			fmt.Fprintf(p.Out, "%s | %s\n", p.colour(e.Service, fmt.Sprintf("%-*s", p.width, e.Service)), e.Message)
		}
	case EventStatus:
		p.printStatus(e)
	case EventReady:
	case EventK8s:
		// a terminal shows only what is wrong; the dashboard lists every one
		if strings.HasPrefix(e.Message, corev1.EventTypeWarning+" ") {
			p.printLine(e)
		}
	default:
		p.printLine(e)
	}
}

func (p *Printer) printStatus(e Event) {
	if e.Status == nil || p.state[e.Service] == e.Status.State {
		return
	}
	p.state[e.Service] = e.Status.State
	mark := map[ServiceState]string{StateReady: "✔", StateFailing: "✘", StateCrashLoop: "✘", StateStopped: "■"}[e.Status.State]
	if mark == "" {
		mark = "…"
	}
	reason := ""
	if e.Status.Reason != "" && e.Status.State != StateReady {
		reason = "  " + firstLine(e.Status.Reason)
	}
	fmt.Fprintf(p.Out, " %s %s %s%s\n", mark, p.colour(e.Service, fmt.Sprintf("%-*s", p.width, e.Service)), e.Status.State, reason)
}

func (p *Printer) printLine(e Event) {
	prefix := ""
	if e.Service != "" {
		prefix = p.colour(e.Service, fmt.Sprintf("%-*s", p.width, e.Service)) + " "
	}
	mark := "•"
	if e.Kind == EventFailing {
		mark = "✘"
	}
	fmt.Fprintf(p.Out, " %s %s%s\n", mark, prefix, e.Message)
}

func (p *Printer) colour(service, text string) string {
	if !p.Color {
		return text
	}
	h := fnv.New32a()
	h.Write([]byte(service))
	return "\x1b[" + palette[h.Sum32()%uint32(len(palette))] + "m" + text + "\x1b[0m"
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
