package localenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"

	"berth/convert"
)

// Forward forwards every published TCP port to the same port on localhost,
// as compose publishes them, until ctx ends. Each forward survives pod
// restarts and rollouts (the listener stays; the next connection goes to the
// newest ready pod). It returns the URLs once every listener is open; ports
// already in use are reported and skipped.
func (s *Session) Forward(ctx context.Context) ([]string, *sync.WaitGroup) {
	var urls []string
	wg := &sync.WaitGroup{}
	for _, p := range s.Bundle.Ports {
		if p.Protocol != "TCP" {
			s.Pub.Publish(Event{Service: p.Service, Kind: EventInfo, Message: fmt.Sprintf("port %d/%s is not forwarded: port-forward carries TCP only", p.HostPort, p.Protocol)})
			continue
		}
		ln, err := listen(p)
		if err != nil {
			s.Pub.Publish(Event{Service: p.Service, Kind: EventFailing, Message: err.Error()})
			continue
		}
		url := portURL(p)
		urls = append(urls, url)
		s.Pub.Publish(Event{Service: p.Service, Kind: EventForward, Message: fmt.Sprintf("%s → %s:%d", url, p.Service, p.ContainerPort)})
		wg.Add(1)
		go func(p convert.PublishedPort, ln net.Listener) {
			defer wg.Done()
			err := s.Cluster.Client.ForwardListener(ctx, ln, s.Namespace, s.ServiceSelector(p.Workload), int(p.ContainerPort))
			if err != nil && !errors.Is(err, context.Canceled) {
				s.Pub.Publish(Event{Service: p.Service, Kind: EventFailing, Message: "port-forward: " + err.Error()})
			}
		}(p, ln)
	}
	return urls, wg
}

func listen(p convert.PublishedPort) (net.Listener, error) {
	host := p.HostIP
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	addr := net.JoinHostPort(host, strconv.Itoa(int(p.HostPort)))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot forward %s to %s:%d: %w (is something else using it? `docker compose down` or stop it, then `berth up` again)", addr, p.Service, p.ContainerPort, err)
	}
	return ln, nil
}

func portURL(p convert.PublishedPort) string {
	if p.HTTP {
		return fmt.Sprintf("http://localhost:%d", p.HostPort)
	}
	return fmt.Sprintf("localhost:%d", p.HostPort)
}
