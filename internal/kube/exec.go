package kube

import (
	"context"
	"fmt"
	"io"

	"berth/internal/kube/typed"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/remotecommand"
	"k8s.io/streaming/pkg/httpstream"
)

// ExecOptions are the streams of Exec; nil streams are not attached.
type ExecOptions struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	TTY    bool
}

// Exec runs cmd in a container of pod (container "" means the pod's only or
// default container) and returns when it exits. A non-zero exit status is an
// error satisfying k8s.io/client-go/util/exec.ExitError. It speaks WebSocket
// and falls back to SPDY for older API servers, like kubectl.
func (c *Client) Exec(ctx context.Context, ns, pod, container string, cmd []string, o ExecOptions) error {
	if c.Config == nil {
		return ErrNoConfig
	}
	req := c.Typed.CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name(pod).SubResource("exec").
		VersionedParams(&corev1.PodExecOptions{
			Container: container,
			Command:   cmd,
			Stdin:     o.Stdin != nil,
			Stdout:    o.Stdout != nil,
			Stderr:    o.Stderr != nil && !o.TTY,
			TTY:       o.TTY,
		}, typed.ParameterCodec())
	spdyExec, err := remotecommand.NewSPDYExecutor(c.Config, "POST", req.URL())
	if err != nil {
		return fmt.Errorf("exec: spdy: %w", err)
	}
	wsExec, err := remotecommand.NewWebSocketExecutor(c.Config, "GET", req.URL().String())
	if err != nil {
		return fmt.Errorf("exec: websocket: %w", err)
	}
	exec, err := remotecommand.NewFallbackExecutor(wsExec, spdyExec, func(err error) bool {
		return httpstream.IsUpgradeFailure(err) || httpstream.IsHTTPSProxyError(err)
	})
	if err != nil {
		return fmt.Errorf("exec: %w", err)
	}
	err = exec.StreamWithContext(ctx, remotecommand.StreamOptions{Stdin: o.Stdin, Stdout: o.Stdout, Stderr: o.Stderr, Tty: o.TTY})
	if err != nil {
		return fmt.Errorf("exec %v in %s/%s: %w", cmd, ns, pod, err)
	}
	return nil
}
