package kube

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/streaming/pkg/httpstream"
)

// handle forwards one local connection over a pair of streams (error + data)
// on the pod connection, as client-go's PortForwarder does. When the streams
// cannot be created the pod connection is dropped and one fresh attempt made.
func (f *forwarder) handle(ctx context.Context, local net.Conn) {
	defer func() { _ = local.Close() }()
	ctx, cancel := context.WithTimeout(ctx, ConnectTimeout)
	defer cancel()
	for attempt := 0; attempt < 2; attempt++ {
		conn, id, err := f.connection(ctx)
		if err != nil {
			return
		}
		errStream, data, err := f.openStreams(conn, id)
		if err != nil {
			f.drop(conn)
			continue
		}
		if msg := pipe(local, data, errStream); msg != "" {
			// The pod refused (e.g. nothing listens on the port): start
			// afresh next time, it may be a new pod by then.
			f.drop(conn)
		}
		conn.RemoveStreams(errStream, data)
		return
	}
}

func (f *forwarder) openStreams(conn httpstream.Connection, id int) (httpstream.Stream, httpstream.Stream, error) {
	h := http.Header{}
	h.Set(corev1.StreamType, corev1.StreamTypeError)
	h.Set(corev1.PortHeader, strconv.Itoa(f.remote))
	h.Set(corev1.PortForwardRequestIDHeader, strconv.Itoa(id))
	errStream, err := conn.CreateStream(h)
	if err != nil {
		return nil, nil, fmt.Errorf("create error stream: %w", err)
	}
	_ = errStream.Close() // berth never writes to it
	h.Set(corev1.StreamType, corev1.StreamTypeData)
	data, err := conn.CreateStream(h)
	if err != nil {
		conn.RemoveStreams(errStream)
		return nil, nil, fmt.Errorf("create data stream: %w", err)
	}
	return errStream, data, nil
}

// pipe copies both ways until the remote side finishes or the local side
// fails, and returns the pod's error message, if any.
func pipe(local net.Conn, data, errStream httpstream.Stream) string {
	errc := make(chan string, 1)
	go func() {
		msg, err := io.ReadAll(errStream)
		if err != nil {
			errc <- err.Error()
			return
		}
		errc <- string(msg)
	}()
	remoteDone := make(chan struct{})
	localFailed := make(chan struct{})
	go func() {
		_, _ = io.Copy(local, data)
		close(remoteDone)
	}()
	go func() {
		defer func() { _ = data.Close() }()
		if _, err := io.Copy(data, local); err != nil {
			close(localFailed)
		}
	}()
	select {
	case <-remoteDone:
	case <-localFailed:
	}
	// Reset before reading the error stream, or unsent data can block it.
	_ = data.Reset()
	return <-errc
}
