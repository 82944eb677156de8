// Package resp is a tiny Redis client: just enough of the RESP2 protocol for
// the demo (PING, GET, SET, INCR, LPUSH, BRPOP), so the demo needs no
// third-party Redis library.
package resp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"time"
)

// ErrNil is returned when Redis answers with a nil bulk string or array
// (a missing key, or a BRPOP that timed out).
var ErrNil = errors.New("redis: nil")

// Client holds one connection, re-dialled after any error. A mutex
// serialises commands; the demo's load does not need a pool.
type Client struct {
	addr string
	mu   sync.Mutex
	conn net.Conn
	rd   *bufio.Reader
}

// New returns a client for addr (host:port). It connects lazily.
func New(addr string) *Client { return &Client{addr: addr} }

// Do sends one command and returns its reply: string, int64, []any or nil.
// A Redis error reply is returned as an error.
func (c *Client) Do(ctx context.Context, args ...string) (any, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.connect(ctx); err != nil {
		return nil, err
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = c.conn.SetDeadline(deadline)
	} else {
		_ = c.conn.SetDeadline(time.Time{})
	}
	if _, err := c.conn.Write(encode(args)); err != nil {
		c.drop()
		return nil, fmt.Errorf("redis %s: write: %w", args[0], err)
	}
	reply, err := readReply(c.rd)
	var redisErr replyError
	if err != nil && !errors.As(err, &redisErr) && !errors.Is(err, ErrNil) {
		c.drop() // the stream is out of sync; start afresh next time
	}
	if err != nil {
		return nil, fmt.Errorf("redis %s: %w", args[0], err)
	}
	return reply, nil
}

// Close closes the connection, if any.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn = nil
	return err
}

func (c *Client) connect(ctx context.Context) error {
	if c.conn != nil {
		return nil
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return fmt.Errorf("redis: dial %s: %w", c.addr, err)
	}
	c.conn, c.rd = conn, bufio.NewReader(conn)
	return nil
}

func (c *Client) drop() {
	_ = c.conn.Close()
	c.conn = nil
}

// encode writes a command as a RESP array of bulk strings.
func encode(args []string) []byte {
	buf := []byte("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		buf = append(buf, '$')
		buf = strconv.AppendInt(buf, int64(len(a)), 10)
		buf = append(buf, "\r\n"...)
		buf = append(buf, a...)
		buf = append(buf, "\r\n"...)
	}
	return buf
}

type replyError string

func (e replyError) Error() string { return string(e) }

func readReply(rd *bufio.Reader) (any, error) {
	line, err := rd.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return nil, fmt.Errorf("malformed reply %q", line)
	}
	kind, body := line[0], line[1:len(line)-2]
	switch kind {
	case '+':
		return body, nil
	case '-':
		return nil, replyError(body)
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		return readBulk(rd, body)
	case '*':
		return readArray(rd, body)
	}
	return nil, fmt.Errorf("unknown reply type %q", kind)
}

func readBulk(rd *bufio.Reader, size string) (any, error) {
	n, err := strconv.Atoi(size)
	if err != nil {
		return nil, fmt.Errorf("bulk length %q: %w", size, err)
	}
	if n < 0 {
		return nil, ErrNil
	}
	buf := make([]byte, n+2)
	if _, err := io.ReadFull(rd, buf); err != nil {
		return nil, fmt.Errorf("read bulk: %w", err)
	}
	return string(buf[:n]), nil
}

func readArray(rd *bufio.Reader, size string) (any, error) {
	n, err := strconv.Atoi(size)
	if err != nil {
		return nil, fmt.Errorf("array length %q: %w", size, err)
	}
	if n < 0 {
		return nil, ErrNil
	}
	items := make([]any, n)
	for i := range items {
		item, err := readReply(rd)
		if err != nil && !errors.Is(err, ErrNil) {
			return nil, err
		}
		items[i] = item
	}
	return items, nil
}

// String runs a command whose reply is a string (GET, PING, SET).
func (c *Client) String(ctx context.Context, args ...string) (string, error) {
	reply, err := c.Do(ctx, args...)
	if err != nil {
		return "", err
	}
	s, ok := reply.(string)
	if !ok {
		return "", fmt.Errorf("redis %s: want string, got %T", args[0], reply)
	}
	return s, nil
}

// Int runs a command whose reply is an integer (INCR, LPUSH).
func (c *Client) Int(ctx context.Context, args ...string) (int64, error) {
	reply, err := c.Do(ctx, args...)
	if err != nil {
		return 0, err
	}
	n, ok := reply.(int64)
	if !ok {
		return 0, fmt.Errorf("redis %s: want integer, got %T", args[0], reply)
	}
	return n, nil
}

// BRPop waits up to timeout for an element of list and returns it; it
// returns ErrNil when the timeout passes with the list empty.
func (c *Client) BRPop(ctx context.Context, list string, timeout time.Duration) (string, error) {
	secs := strconv.Itoa(int(timeout / time.Second))
	reply, err := c.Do(ctx, "BRPOP", list, secs)
	if err != nil {
		return "", err
	}
	pair, ok := reply.([]any)
	if !ok || len(pair) != 2 {
		return "", fmt.Errorf("redis BRPOP: unexpected reply %v", reply)
	}
	s, _ := pair[1].(string)
	return s, nil
}
