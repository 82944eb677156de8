package convert

import (
	"strconv"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// Compose's healthcheck defaults (not Kubernetes' 1 s timeout).
const (
	defaultHealthInterval      = 30 * time.Second
	defaultHealthTimeout       = 30 * time.Second
	defaultHealthRetries       = 3
	defaultHealthStartInterval = 5 * time.Second
)

// probes maps a healthcheck to startup, readiness and liveness probes.
// The startup probe covers start_period, during which compose does not count
// failures; readiness and liveness fail after `retries` failures in a row.
func (c *converter) probes(s types.ServiceConfig, ct *corev1.Container) {
	hc := s.HealthCheck
	if hc == nil {
		return
	}
	if hc.Disable {
		c.rep.mapped(s.Name, "healthcheck", "disabled: no probes")
		return
	}
	handler, ok := probeHandler(hc.Test)
	if !ok {
		c.rep.mapped(s.Name, "healthcheck", "test NONE: no probes")
		return
	}
	interval := durationOr(hc.Interval, defaultHealthInterval)
	timeout := durationOr(hc.Timeout, defaultHealthTimeout)
	retries := int32(defaultHealthRetries)
	if hc.Retries != nil && *hc.Retries > 0 {
		retries = int32(*hc.Retries)
	}
	startPeriod := durationOr(hc.StartPeriod, 0)
	startInterval := durationOr(hc.StartInterval, defaultHealthStartInterval)

	probes := new([3]corev1.Probe) // one allocation for the three
	probe := func(i int, period time.Duration, failures int32) *corev1.Probe {
		probes[i] = corev1.Probe{
			ProbeHandler:     handler,
			PeriodSeconds:    seconds(period),
			TimeoutSeconds:   seconds(timeout),
			FailureThreshold: failures,
			SuccessThreshold: 1,
		}
		return &probes[i]
	}
	startFailures := int32(startPeriod/startInterval) + retries
	ct.StartupProbe = probe(0, startInterval, startFailures)
	ct.ReadinessProbe = probe(1, interval, retries)
	ct.LivenessProbe = probe(2, interval, retries)
	// joined, not formatted: there is one per service
	c.rep.mapped(s.Name, "healthcheck", "startupProbe (every "+startInterval.String()+", up to "+strconv.Itoa(int(startFailures))+
		" tries, covering start_period "+startPeriod.String()+"), readinessProbe and livenessProbe (every "+interval.String()+
		", timeout "+timeout.String()+", "+strconv.Itoa(int(retries))+" retries)")
}

// probeHandler turns a compose test into an exec action: CMD runs the
// arguments directly, CMD-SHELL runs them under `sh -c`, NONE disables.
func probeHandler(test types.HealthCheckTest) (corev1.ProbeHandler, bool) {
	if len(test) == 0 {
		return corev1.ProbeHandler{}, false
	}
	var cmd []string
	switch test[0] {
	case "NONE":
		return corev1.ProbeHandler{}, false
	case "CMD":
		cmd = test[1:]
	case "CMD-SHELL":
		cmd = append([]string{"/bin/sh", "-c"}, joinShell(test[1:]))
	default: // a bare string: compose runs it with the shell
		cmd = []string{"/bin/sh", "-c", joinShell(test)}
	}
	if len(cmd) == 0 {
		return corev1.ProbeHandler{}, false
	}
	return corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: cmd}}, true
}

func joinShell(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += " "
		}
		out += p
	}
	return out
}

func durationOr(d *types.Duration, def time.Duration) time.Duration {
	if d == nil || *d <= 0 {
		return def
	}
	return time.Duration(*d)
}

// seconds rounds up to whole seconds, at least 1 (Kubernetes' unit).
func seconds(d time.Duration) int32 {
	s := int32((d + time.Second - 1) / time.Second)
	if s < 1 {
		return 1
	}
	return s
}
