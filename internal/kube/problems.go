package kube

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ProblemReasons are container waiting reasons that will not fix themselves:
// the image is wrong, the program crashes, or its config is missing.
var ProblemReasons = map[string]bool{
	"ImagePullBackOff":           true,
	"ErrImagePull":               true,
	"ErrImageNeverPull":          true,
	"InvalidImageName":           true,
	"CrashLoopBackOff":           true,
	"CreateContainerConfigError": true,
	"CreateContainerError":       true,
	"RunContainerError":          true,
}

// PodProblem says why one container of a pod cannot run.
type PodProblem struct {
	Pod       string
	Container string
	Reason    string   // e.g. CrashLoopBackOff
	Message   string   // the kubelet's message, e.g. the pull error
	ExitCode  *int32   // of the last termination, when there was one
	Logs      []string // last lines of the failing container (previous run for a crash loop)
	current   bool     // logs come from the current instance even though ExitCode is set
}

func (p PodProblem) String() string {
	s := fmt.Sprintf("pod %s container %s: %s", p.Pod, p.Container, p.Reason)
	if p.ExitCode != nil {
		s += fmt.Sprintf(" (exit code %d)", *p.ExitCode)
	}
	if p.Message != "" {
		s += ": " + p.Message
	}
	return s
}

// PodProblems inspects the pods matching selector in ns and returns one
// PodProblem per container that is stuck for one of ProblemReasons, with up
// to tailLines of its log. Log errors are not fatal: a container that never
// started has no log.
func (c *Client) PodProblems(ctx context.Context, ns, selector string, tailLines int64) ([]PodProblem, error) {
	pods, err := c.Typed.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, fmt.Errorf("list pods %q in %s: %w", selector, ns, err)
	}
	var out []PodProblem
	for i := range pods.Items {
		for _, p := range FindProblems(&pods.Items[i]) {
			if tailLines > 0 {
				p.Logs = c.lastLines(ctx, ns, p, tailLines)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// FindProblems reports the stuck containers (init containers first) of one pod.
func FindProblems(pod *corev1.Pod) []PodProblem {
	var out []PodProblem
	statuses := append(append([]corev1.ContainerStatus{}, pod.Status.InitContainerStatuses...), pod.Status.ContainerStatuses...)
	for _, cs := range statuses {
		if p, ok := crashedNow(pod, cs); ok {
			out = append(out, p)
			continue
		}
		w := cs.State.Waiting
		if w == nil || !ProblemReasons[w.Reason] {
			continue
		}
		p := PodProblem{Pod: pod.Name, Container: cs.Name, Reason: w.Reason, Message: w.Message}
		if t := cs.LastTerminationState.Terminated; t != nil {
			code := t.ExitCode
			p.ExitCode = &code
		}
		out = append(out, p)
	}
	return out
}

// lastLines fetches the tail of the failing container's log: the previous
// instance for a crash loop (the current one is waiting and has none).
func (c *Client) lastLines(ctx context.Context, ns string, p PodProblem, n int64) []string {
	opts := &corev1.PodLogOptions{Container: p.Container, TailLines: &n, Previous: p.ExitCode != nil && !p.current}
	rc, err := c.Typed.CoreV1().Pods(ns).GetLogs(p.Pod, opts).Stream(ctx)
	if err != nil {
		return nil
	}
	defer func() { _ = rc.Close() }()
	var lines []string
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	return lines
}

// crashedNow catches a crash in the moment between the exit and the kubelet's
// CrashLoopBackOff: a container of an always-restarting pod that has just
// terminated with a non-zero code.
func crashedNow(pod *corev1.Pod, cs corev1.ContainerStatus) (PodProblem, bool) {
	t := cs.State.Terminated
	if t == nil || t.ExitCode == 0 || (pod.Spec.RestartPolicy != "" && pod.Spec.RestartPolicy != corev1.RestartPolicyAlways) {
		return PodProblem{}, false
	}
	code := t.ExitCode
	reason, msg := t.Reason, t.Message
	if reason == "" {
		reason = "Error"
	}
	if cs.RestartCount > 0 {
		// It has crashed before and will again: the kubelet's CrashLoopBackOff
		// in all but name, whichever moment of the loop we look at.
		reason, msg = "CrashLoopBackOff", joinNonEmpty(fmt.Sprintf("%s, restarted %d times", reason, cs.RestartCount), msg)
	}
	// Logs of the current (terminated) instance: not Previous.
	return PodProblem{Pod: pod.Name, Container: cs.Name, Reason: reason, Message: msg, ExitCode: &code, current: true}, true
}

func joinNonEmpty(a, b string) string {
	if b == "" {
		return a
	}
	return a + ": " + b
}
