package kube

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// LogOptions tunes StreamLogs.
type LogOptions struct {
	Follow     bool          // keep streaming, and pick up new pods and restarted containers
	Since      time.Duration // only lines newer than this (0: all)
	TailLines  int64         // only the last N lines of each container at start (0: all)
	Timestamps bool          // prefix Line with the RFC3339 timestamp, like kubectl --timestamps
}

// LogLine is one line of one container. Time is the kubelet's timestamp of
// the line and is always set, whatever Timestamps says.
type LogLine struct {
	Pod       string
	Container string
	Time      time.Time
	Line      string
}

// LogPollInterval is how often a following StreamLogs looks for new pods.
var LogPollInterval = time.Second

// StreamLogs calls out with the lines of every container of every pod that
// matches selector in ns. out is never called concurrently. Without Follow it
// returns once every log has been read; with Follow it runs until ctx ends,
// following new pods and restarted containers (without repeating lines), and
// then returns nil.
func (c *Client) StreamLogs(ctx context.Context, ns, selector string, o LogOptions, out func(LogLine)) error {
	ls := &logStreams{c: c, ns: ns, o: o, out: out, last: map[string]time.Time{}, active: map[string]bool{}}
	first := true
	for {
		pods, err := c.Typed.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
		switch {
		case err == nil:
			ls.startStreams(ctx, pods.Items, first)
		case ctx.Err() != nil:
			ls.wg.Wait()
			return nil
		case first:
			return fmt.Errorf("list pods %q in %s: %w", selector, ns, err)
		}
		// A failed list while following is retried at the next poll.
		first = false
		if !o.Follow {
			ls.wg.Wait()
			return nil
		}
		select {
		case <-ctx.Done():
			ls.wg.Wait()
			return nil
		case <-time.After(LogPollInterval):
		}
	}
}

// logStreams tracks which containers are being streamed and the time of the
// last line seen from each, so a restarted stream resumes after it.
type logStreams struct {
	c      *Client
	ns     string
	o      LogOptions
	out    func(LogLine)
	outMu  sync.Mutex
	mu     sync.Mutex
	last   map[string]time.Time // pod/container -> time of last line
	active map[string]bool
	wg     sync.WaitGroup
}

func (ls *logStreams) startStreams(ctx context.Context, pods []corev1.Pod, initial bool) {
	for i := range pods {
		pod := &pods[i]
		for _, cs := range allStatuses(pod) {
			if cs.State.Running == nil && cs.State.Terminated == nil {
				continue // not started: the kubelet has no log yet
			}
			key := pod.Name + "/" + cs.Name
			ls.mu.Lock()
			_, seen := ls.last[key]
			start := !ls.active[key] && (!seen || (ls.o.Follow && cs.State.Running != nil))
			if start {
				ls.active[key] = true
				if !seen {
					ls.last[key] = time.Time{}
				}
			}
			ls.mu.Unlock()
			if start {
				ls.wg.Add(1)
				go ls.stream(ctx, pod.Name, cs.Name, initial && !seen)
			}
		}
	}
}

func allStatuses(pod *corev1.Pod) []corev1.ContainerStatus {
	return append(append([]corev1.ContainerStatus{}, pod.Status.InitContainerStatuses...), pod.Status.ContainerStatuses...)
}

// stream reads one container's log until it ends. Tail and Since apply to
// containers present at the start; later pods are read from their beginning.
func (ls *logStreams) stream(ctx context.Context, pod, container string, initial bool) {
	defer ls.wg.Done()
	key := pod + "/" + container
	defer func() {
		ls.mu.Lock()
		ls.active[key] = false
		ls.mu.Unlock()
	}()
	ls.mu.Lock()
	after := ls.last[key]
	ls.mu.Unlock()
	opts := &corev1.PodLogOptions{Container: container, Follow: ls.o.Follow, Timestamps: true}
	switch {
	case !after.IsZero():
		t := metav1.NewTime(after) // whole seconds on the wire: duplicates are filtered below
		opts.SinceTime = &t
	case initial && ls.o.TailLines > 0:
		opts.TailLines = &ls.o.TailLines
	}
	if initial && ls.o.Since > 0 && after.IsZero() {
		s := int64(ls.o.Since.Seconds())
		opts.SinceSeconds = &s
	}
	rc, err := ls.c.Typed.CoreV1().Pods(ls.ns).GetLogs(pod, opts).Stream(ctx)
	if err != nil {
		return // pod gone or container not started; the next poll retries
	}
	defer func() { _ = rc.Close() }()
	ls.readLines(rc, pod, container, key, after)
}

func (ls *logStreams) readLines(r io.Reader, pod, container, key string, after time.Time) {
	br := bufio.NewReaderSize(r, 64*1024)
	for {
		raw, err := br.ReadString('\n')
		if raw != "" {
			ts, line := splitTimestamp(strings.TrimRight(raw, "\r\n"))
			if after.IsZero() || ts.After(after) {
				ls.emit(LogLine{Pod: pod, Container: container, Time: ts, Line: ls.format(ts, line)}, key)
			}
		}
		if err != nil {
			return // EOF, or the stream broke: the next poll resumes after the last line
		}
	}
}

func (ls *logStreams) format(ts time.Time, line string) string {
	if ls.o.Timestamps && !ts.IsZero() {
		return ts.Format(time.RFC3339Nano) + " " + line
	}
	return line
}

func (ls *logStreams) emit(l LogLine, key string) {
	ls.mu.Lock()
	if l.Time.After(ls.last[key]) {
		ls.last[key] = l.Time
	}
	ls.mu.Unlock()
	ls.outMu.Lock()
	defer ls.outMu.Unlock()
	ls.out(l)
}

// splitTimestamp splits the kubelet's "RFC3339Nano message" prefix.
func splitTimestamp(s string) (time.Time, string) {
	i := strings.IndexByte(s, ' ')
	if i <= 0 {
		return time.Time{}, s
	}
	t, err := time.Parse(time.RFC3339Nano, s[:i])
	if err != nil {
		return time.Time{}, s
	}
	return t, s[i+1:]
}
