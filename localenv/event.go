// Package localenv runs a converted compose project on a local kind cluster:
// cluster lifecycle, image build and load, apply, wait, port-forward, watch.
// Everything it does is published as an Event; the terminal, the dashboard
// and the store all read the same stream and none of them reaches back.
package localenv

import (
	"sync"
	"time"
)

// EventKind says what an Event reports.
type EventKind string

// Event kinds, in roughly the order a service goes through them.
const (
	EventBuild    EventKind = "build"    // image build started or finished
	EventLoad     EventKind = "load"     // image loaded into the kind nodes
	EventApply    EventKind = "apply"    // objects applied to the cluster
	EventRollout  EventKind = "rollout"  // a workload is rolling out
	EventReady    EventKind = "ready"    // every replica of the service is ready
	EventFailing  EventKind = "failing"  // the service cannot become ready (Message says why)
	EventStopped  EventKind = "stopped"  // the service's objects were deleted
	EventForward  EventKind = "forward"  // a published port is forwarded to localhost
	EventLog      EventKind = "log"      // one log line of a container (Message is the line)
	EventK8s      EventKind = "k8s"      // a Kubernetes event about the service's objects
	EventStatus   EventKind = "status"   // Status holds a fresh snapshot of the service
	EventInfo     EventKind = "info"     // anything else worth showing
	EventFinished EventKind = "finished" // the run ended (Message holds the result)
)

// ServiceState is the coarse state shown per service.
type ServiceState string

// Service states, as the terminal and the dashboard show them.
const (
	StateBuilding  ServiceState = "building"
	StateLoading   ServiceState = "loading"
	StateStarting  ServiceState = "starting"
	StateReady     ServiceState = "ready"
	StateFailing   ServiceState = "failing"
	StateCrashLoop ServiceState = "crash-looping"
	StateStopped   ServiceState = "stopped"
)

// ServiceStatus is a snapshot of one service, carried by EventStatus.
type ServiceStatus struct {
	Service   string       `json:"service"`
	State     ServiceState `json:"state"`
	Ready     int32        `json:"ready"`
	Desired   int32        `json:"desired"`
	Restarts  int32        `json:"restarts"`
	Image     string       `json:"image"`
	BuiltAt   time.Time    `json:"builtAt,omitempty"`
	URLs      []string     `json:"urls,omitempty"`
	DependsOn []string     `json:"dependsOn,omitempty"`
	Reason    string       `json:"reason,omitempty"`
}

// Event is one thing that happened while running a project.
type Event struct {
	Time    time.Time      `json:"time"`
	Project string         `json:"project"`
	Service string         `json:"service,omitempty"`
	Kind    EventKind      `json:"kind"`
	Message string         `json:"message,omitempty"`
	Pod     string         `json:"pod,omitempty"`    // for EventLog
	Stream  string         `json:"stream,omitempty"` // for EventLog: container name
	Status  *ServiceStatus `json:"status,omitempty"` // for EventStatus
}

// Publisher fans events out to subscribers. A subscriber that does not keep
// up loses events (its channel is bounded) rather than slowing the publisher:
// `up` must never stall because a browser tab is slow.
type Publisher struct {
	Project string // stamped on events that carry none
	mu      sync.Mutex
	subs    map[chan Event]struct{}
	closed  bool
}

// NewPublisher returns a Publisher with no subscribers.
func NewPublisher() *Publisher {
	return &Publisher{subs: map[chan Event]struct{}{}}
}

// Subscribe returns a channel of events with the given buffer and a function
// that unsubscribes and closes the channel.
func (p *Publisher) Subscribe(buffer int) (<-chan Event, func()) {
	ch := make(chan Event, buffer)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		close(ch)
		return ch, func() {}
	}
	p.subs[ch] = struct{}{}
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if _, ok := p.subs[ch]; ok {
				delete(p.subs, ch)
				close(ch)
			}
		})
	}
}

// Publish sends e to every subscriber that has room, stamping its time if unset.
func (p *Publisher) Publish(e Event) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if e.Project == "" {
		e.Project = p.Project
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for ch := range p.subs {
		select {
		case ch <- e:
		default: // slow subscriber: drop rather than block everyone
		}
	}
}

// Close closes every subscriber's channel; later Publish calls do nothing.
func (p *Publisher) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for ch := range p.subs {
		close(ch)
		delete(p.subs, ch)
	}
	p.closed = true
}
