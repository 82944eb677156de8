package convert

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// completedDependencies returns the services some other service waits on with
// service_completed_successfully: one-shot tasks, rendered as Jobs.
func completedDependencies(p *types.Project) map[string]bool {
	out := map[string]bool{}
	for name := range p.Services {
		for dep, d := range p.Services[name].DependsOn { // not a copy of every service
			if d.Condition == types.ServiceConditionCompletedSuccessfully {
				out[dep] = true
			}
		}
	}
	return out
}

// nslookupWait waits until a headless Service's name resolves. busybox's
// nslookup (1.28 and later) fails when any search domain lacks the name,
// so `nslookup db` never succeeds in a pod; it is asked for the absolute
// name in the pod's own namespace domain (the first search domain), which
// works whatever the namespace and cluster domain are.
const nslookupWait = `d=$(sed -n 's/^search \([^ ]*\).*/\1/p' /etc/resolv.conf); ` +
	`until nslookup "%[1]s${d:+.$d}." >/dev/null 2>&1; do echo waiting for %[2]s; sleep 2; done`

// waitContainers returns one init container per dependency that waits until
// the dependency answers: on its first port when it has one (a ClusterIP
// Service only routes to ready pods, so this also covers service_healthy), or
// until its headless name resolves (which lists only ready pods).
func (c *converter) waitContainers(s types.ServiceConfig) []corev1.Container {
	var out []corev1.Container
	if len(s.DependsOn) > 0 {
		out = make([]corev1.Container, 0, len(s.DependsOn))
	}
	for _, dep := range sortedKeys(s.DependsOn) {
		d := s.DependsOn[dep]
		_, ok := c.p.Services[dep]
		if !ok || c.ownerOf(dep) == c.ownerOf(s.Name) {
			continue
		}
		if d.Condition == types.ServiceConditionCompletedSuccessfully {
			c.rep.approx(s.Name, "depends_on."+dep, "%s runs as a Job; `berth up` and `berth promote` apply %s after it completes (pods have no built-in wait for a Job)", dep, s.Name)
			continue
		}
		host := DNSName(c.ownerOf(dep))
		var script string
		if ports := c.portsOfService(dep); len(ports) > 0 && ports[0].protocol == corev1.ProtocolTCP {
			// busybox nc has no -z: connect with an empty stdin instead
			script = "until nc -w 2 " + host + " " + strconv.Itoa(int(ports[0].port)) + " </dev/null; do echo waiting for " + dep + "; sleep 2; done"
		} else {
			script = fmt.Sprintf(nslookupWait, host, dep)
		}
		out = append(out, corev1.Container{
			Name:    childName("wait", dep),
			Image:   c.opts.WaitImage,
			Command: []string{"sh", "-c", script},
		})
		c.rep.mapped(s.Name, "depends_on."+dep, "init container waits until "+dep+" is "+conditionWord(d.Condition))
	}
	if len(out) == 0 {
		return nil // as before sizing it: no init containers
	}
	return out
}

func conditionWord(cond string) string {
	if cond == types.ServiceConditionHealthy {
		return "ready (healthy)"
	}
	return "reachable"
}

// reportDependencyOrder notes the order services start in, computed in linear
// time (Kahn's algorithm), so the report keeps compose's ordering.
func (c *converter) reportDependencyOrder() {
	order := DependencyOrder(c.p)
	if len(order) > 1 {
		c.rep.note("start order (depends_on): %s", strings.Join(order, ", "))
	}
}

// DependencyOrder returns services so that each comes after what it depends
// on; ties are broken by name. Services on a cycle are appended at the end.
func DependencyOrder(p *types.Project) []string {
	indeg := make(map[string]int, len(p.Services))
	users := make(map[string][]string, len(p.Services))
	for name := range p.Services {
		indeg[name] += 0
		for dep := range p.Services[name].DependsOn {
			if _, ok := p.Services[dep]; ok {
				indeg[name]++
				users[dep] = append(users[dep], name)
			}
		}
	}
	var ready []string
	for n, d := range indeg {
		if d == 0 {
			ready = append(ready, n)
		}
	}
	sort.Strings(ready)
	var order []string
	for len(ready) > 0 {
		n := ready[0]
		ready = ready[1:]
		order = append(order, n)
		next := users[n]
		sort.Strings(next)
		for _, u := range next {
			if indeg[u]--; indeg[u] == 0 {
				ready = insertSorted(ready, u)
			}
		}
	}
	if len(order) < len(indeg) {
		var rest []string
		for n, d := range indeg {
			if d > 0 {
				rest = append(rest, n)
			}
		}
		sort.Strings(rest)
		order = append(order, rest...)
	}
	return order
}

func insertSorted(s []string, v string) []string {
	i := sort.SearchStrings(s, v)
	s = append(s, "")
	copy(s[i+1:], s[i:])
	s[i] = v
	return s
}
