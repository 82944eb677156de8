package convert

import (
	"fmt"
	"slices"
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
// Services are numbered in name order, so that the graph is slices (not
// maps) and the number order is the name order.
func DependencyOrder(p *types.Project) []string {
	names := sortedKeys(p.Services)
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	indeg := make([]int, len(names))
	users := make([][]int, len(names)) // each in order: filled by ascending number
	for i, n := range names {
		for dep := range p.Services[n].DependsOn {
			if j, ok := index[dep]; ok {
				indeg[i]++
				users[j] = append(users[j], i)
			}
		}
	}
	var ready []int
	for i, d := range indeg {
		if d == 0 {
			ready = append(ready, i)
		}
	}
	var order []string
	if len(names) > 0 {
		order = make([]string, 0, len(names))
	}
	for len(ready) > 0 {
		i := ready[0]
		ready = ready[1:]
		order = append(order, names[i])
		for _, u := range users[i] {
			if indeg[u]--; indeg[u] == 0 {
				ready = insertSorted(ready, u)
			}
		}
	}
	for i, d := range indeg {
		if d > 0 {
			order = append(order, names[i]) // on a cycle
		}
	}
	return order
}

func insertSorted(s []int, v int) []int {
	i, _ := slices.BinarySearch(s, v)
	s = append(s, 0)
	copy(s[i+1:], s[i:])
	s[i] = v
	return s
}
