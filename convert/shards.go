package convert

import (
	"fmt"
	"runtime"
)

// Converting the services on two CPUs.
//
// Each service's conversion (and its NetworkPolicy) reads the project and
// writes its own objects, report entries and notes, appended in the order
// of the service names.
// Large projects are cut in two by that order: the converter converts the
// first half while a copy of it (shard) converts the second into a bundle
// and report of its own, which are then appended to the converter's: the
// same order, so the same output, as converting one service after another.
//
// Only three things tie one service's conversion to those before it: PVCs,
// ConfigMaps and Secrets are made by the first service that uses them (and
// reported under it), and a pod's guests are reported by their owner. So a
// project with guests is converted in order, and when both halves made one
// of those objects, or the second half failed, the second half is converted
// again after the first, as it would have been: the copy's work is dropped.

// shardMinServices is the smallest project converted in two halves: below
// it, starting a goroutine and appending the halves costs more than it saves.
// Tests lower it to run every fixture through both halves.
var shardMinServices = 64

// convertServices converts every service, in two halves at once when that
// gives the same result as in order.
func (c *converter) convertServices() error {
	if len(c.podOwner) > 0 {
		return c.inOrder(c.serviceNames(), (*converter).convertNamed)
	}
	return c.inHalves(c.serviceNames(), (*converter).convertNamed)
}

func (c *converter) convertNamed(name string) error {
	if err := c.convertService(c.p.Services[name]); err != nil {
		return fmt.Errorf("service %q: %w", name, err)
	}
	return nil
}

// inHalves runs step for each name, in order or in two halves at once:
// what the halves add is appended in order, and the second half is run
// again after the first when it failed or made a PVC, ConfigMap or Secret
// the first made too.
func (c *converter) inHalves(names []string, step func(*converter, string) error) error {
	if len(names) < shardMinServices || runtime.GOMAXPROCS(0) < 2 {
		return c.inOrder(names, step)
	}
	_, _ = c.environment() // resolved here, read by both halves; its error is returned where it was
	first, second := names[:len(names)/2], names[len(names)/2:]
	sh := c.shard(len(second))
	done := make(chan error, 1)
	go func() { done <- sh.inOrder(second, step) }()
	err := c.inOrder(first, step)
	shardErr := <-done
	if err != nil {
		return err
	}
	if shardErr != nil || c.madeAlso(sh) {
		return c.inOrder(second, step)
	}
	c.absorb(sh)
	return nil
}

// inTwo calls f for [0, n), on large projects as f(0, n/2) and f(n/2, n)
// at once; each call must write only to what its range owns.
func inTwo(n int, f func(lo, hi int)) {
	if n < shardMinServices || runtime.GOMAXPROCS(0) < 2 {
		f(0, n)
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(n/2, n)
	}()
	f(0, n/2)
	<-done
}

// atOnce runs f and g, at once on large projects of n services; they must
// share nothing they write.
func atOnce(n int, f, g func()) {
	if n < shardMinServices || runtime.GOMAXPROCS(0) < 2 {
		f()
		g()
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		g()
	}()
	f()
	<-done
}

func (c *converter) inOrder(names []string, step func(*converter, string) error) error {
	for _, name := range names {
		if err := step(c, name); err != nil {
			return err
		}
	}
	return nil
}

// shard copies the converter for converting n services apart: what
// converting services writes is its own, what it reads is shared.
func (c *converter) shard(n int) *converter {
	sh := *c
	sh.b = &Bundle{Project: c.b.Project, Namespace: c.b.Namespace}
	sh.b.Objects = make([]Object, 0, 4*n)
	sh.rep = &sh.b.Report
	sh.rep.services = n
	sh.pvcs, sh.configMaps, sh.secretsMade = nil, nil, nil
	sh.podTemplates, sh.podTemplatesIndexed = nil, 0
	sh.objs = nil
	sh.keysBuf = nil
	return &sh
}

// madeAlso reports whether the shard made a PVC, ConfigMap or Secret the
// converter made too (in order, only the first would have).
func (c *converter) madeAlso(sh *converter) bool {
	for name := range sh.pvcs {
		if c.pvcs[name] {
			return true
		}
	}
	for name := range sh.configMaps {
		if _, ok := c.configMaps[name]; ok {
			return true
		}
	}
	for name := range sh.secretsMade {
		if c.secretsMade[name] {
			return true
		}
	}
	return false
}

// absorb appends what the shard converted, as if the converter had.
func (c *converter) absorb(sh *converter) {
	c.b.Objects = append(c.b.Objects, sh.b.Objects...)
	c.b.Images = append(c.b.Images, sh.b.Images...)
	c.b.Secrets = append(c.b.Secrets, sh.b.Secrets...)
	c.b.Ports = append(c.b.Ports, sh.b.Ports...)
	c.b.Binds = append(c.b.Binds, sh.b.Binds...)
	c.rep.absorb(sh.rep)
	c.pvcs = union(c.pvcs, sh.pvcs)
	c.secretsMade = union(c.secretsMade, sh.secretsMade)
	c.configMaps = union(c.configMaps, sh.configMaps)
}

func union[V any](m, add map[string]V) map[string]V {
	if len(add) == 0 {
		return m
	}
	if m == nil {
		m = make(map[string]V, len(add))
	}
	for k, v := range add {
		m[k] = v
	}
	return m
}
