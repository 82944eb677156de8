package kube

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"
	"k8s.io/streaming/pkg/httpstream"
)

// PortForward forwards 127.0.0.1:localPort to remotePort of a Ready pod
// matching selector in ns until ctx ends (then it returns nil). ready, when
// non-nil, is closed once the local port is listening. See ForwardListener.
func (c *Client) PortForward(ctx context.Context, ns, selector string, localPort, remotePort int, ready chan<- struct{}) error {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(localPort)))
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("127.0.0.1:%d: %w", localPort, ErrPortInUse)
	}
	if err != nil {
		return fmt.Errorf("listen on 127.0.0.1:%d: %w", localPort, err)
	}
	if ready != nil {
		close(ready)
	}
	return c.ForwardListener(ctx, ln, ns, selector, remotePort)
}

// ForwardListener serves connections accepted on ln by forwarding each to
// remotePort of a Ready pod. The listener stays open for the whole run, so the
// local port never drops while pods come and go: the SPDY connection to the
// pod is dialled lazily, dropped when that pod stops being Ready or goes away,
// and the next connection dials the newest Ready pod (retrying with backoff).
// It closes ln when ctx ends.
func (c *Client) ForwardListener(ctx context.Context, ln net.Listener, ns, selector string, remotePort int) error {
	if c.Config == nil {
		return ErrNoConfig
	}
	f := &forwarder{root: ctx, c: c, ns: ns, selector: selector, remote: remotePort}
	go func() {
		<-ctx.Done()
		_ = ln.Close()
		f.drop(nil)
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("accept on %s: %w", ln.Addr(), err)
		}
		go f.handle(ctx, conn)
	}
}

// ConnectTimeout bounds how long an accepted connection waits for a Ready pod.
var ConnectTimeout = time.Minute

type forwarder struct {
	root     context.Context // the whole forward's lifetime (watchers outlive one connection)
	c        *Client
	ns       string
	selector string
	remote   int

	mu    sync.Mutex
	conn  httpstream.Connection // current connection to a pod, nil when none
	reqID int
}

// connection returns the live connection to a pod, dialling one (with
// backoff while no pod is Ready) when there is none.
func (f *forwarder) connection(ctx context.Context) (httpstream.Connection, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqID++
	if f.conn != nil && !isClosed(f.conn) {
		return f.conn, f.reqID, nil
	}
	backoff := 200 * time.Millisecond
	for {
		conn, pod, err := f.dial(ctx)
		if err == nil {
			f.conn = conn
			go f.watchPod(f.root, conn, pod)
			return conn, f.reqID, nil
		}
		select {
		case <-ctx.Done():
			return nil, 0, fmt.Errorf("port-forward %s:%d: %w (last error: %v)", f.selector, f.remote, ctx.Err(), err)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func isClosed(conn httpstream.Connection) bool {
	select {
	case <-conn.CloseChan():
		return true
	default:
		return false
	}
}

func (f *forwarder) dial(ctx context.Context) (httpstream.Connection, string, error) {
	pod, err := f.c.ReadyPod(ctx, f.ns, f.selector)
	if err != nil {
		return nil, "", err
	}
	u := f.c.Typed.CoreV1().RESTClient().Post().Resource("pods").Namespace(f.ns).Name(pod.Name).SubResource("portforward").URL()
	transport, upgrader, err := spdy.RoundTripperFor(f.c.Config)
	if err != nil {
		return nil, "", fmt.Errorf("spdy transport: %w", err)
	}
	dialer := spdy.NewDialerForStreaming(upgrader, &http.Client{Transport: transport}, http.MethodPost, u)
	conn, _, err := dialer.Dial(portforward.PortForwardProtocolV1Name)
	if err != nil {
		return nil, "", fmt.Errorf("port-forward to pod %s: %w", pod.Name, err)
	}
	return conn, pod.Name, nil
}

// drop closes conn if it is still the current connection (nil: whatever is current).
func (f *forwarder) drop(conn httpstream.Connection) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conn != nil && (conn == nil || f.conn == conn) {
		_ = f.conn.Close()
		f.conn = nil
	}
}

// PodCheckInterval is how often a port-forward checks that its pod is still Ready.
var PodCheckInterval = time.Second

// watchPod drops conn as soon as its pod is gone, terminating or not Ready,
// so that the next connection goes to a pod that serves.
func (f *forwarder) watchPod(ctx context.Context, conn httpstream.Connection, pod string) {
	t := time.NewTicker(PodCheckInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-conn.CloseChan():
			f.drop(conn)
			return
		case <-t.C:
		}
		p, err := f.c.Typed.CoreV1().Pods(f.ns).Get(ctx, pod, metav1.GetOptions{})
		if apierrors.IsNotFound(err) || (err == nil && !IsPodReady(p)) {
			f.drop(conn)
			return
		}
	}
}
