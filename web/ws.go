package web

import (
	"bytes"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// readLimit bounds what a browser may send: it only answers pings and
// closes, so a few kilobytes is plenty.
const readLimit = 4096

func (s *Server) upgrader() *websocket.Upgrader {
	return &websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 32 * 1024,
		CheckOrigin:     sameOrigin,
	}
}

// serveWS upgrades an authenticated request and runs one reader and one
// writer goroutine for it. The hub feeds the writer through a bounded queue.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	f := filter{logs: r.URL.Query().Get("logs") == "1", service: r.URL.Query().Get("service")}
	c := s.hub.register(f)
	if c == nil {
		http.Error(w, "too many dashboard connections", http.StatusServiceUnavailable)
		return
	}
	conn, err := s.upgrader().Upgrade(w, r, nil)
	if err != nil {
		s.hub.unregister(c) // Upgrade already replied with an error
		return
	}
	done := make(chan struct{})
	go s.readPump(conn, c, done)
	go s.writePump(conn, c, done)
}

// readPump discards what the browser sends, keeps the read deadline moving
// with pongs, and tells the writer when the connection is gone.
func (s *Server) readPump(conn *websocket.Conn, c *hubClient, done chan<- struct{}) {
	defer func() {
		s.hub.unregister(c)
		close(done)
	}()
	o := s.hub.opts
	conn.SetReadLimit(readLimit)
	_ = conn.SetReadDeadline(time.Now().Add(o.PongWait))
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(o.PongWait))
	})
	for {
		if _, _, err := conn.NextReader(); err != nil {
			return
		}
	}
}

// writePump writes what is queued, at most MaxBatch messages per frame
// (newline separated) and at most one round of frames per FlushEvery, and
// pings. It owns every write to conn and closes it when the hub drops the
// client or the reader ends.
func (s *Server) writePump(conn *websocket.Conn, c *hubClient, done <-chan struct{}) {
	o := s.hub.opts
	ticker := time.NewTicker(o.PingPeriod)
	pace := time.NewTimer(0)
	defer func() {
		ticker.Stop()
		pace.Stop()
		_ = conn.Close()
	}()
	var spare [][]byte
	var buf bytes.Buffer
	for {
		select {
		case <-c.queue.wake:
			if !s.waitPace(pace, done) {
				return
			}
			msgs, closed := c.queue.take(spare)
			if closed {
				s.closeDropped(conn, c)
				return
			}
			if err := writeFrames(conn, &buf, msgs, o); err != nil {
				return
			}
			spare = msgs
			pace.Reset(o.FlushEvery)
		case <-ticker.C:
			_ = conn.SetWriteDeadline(time.Now().Add(o.WriteWait))
			if err := conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		case <-done:
			return
		}
	}
}

// waitPace waits until FlushEvery has passed since the last frames, so
// lines arriving meanwhile join the next ones. It reports false when the
// connection ended while waiting.
func (s *Server) waitPace(pace *time.Timer, done <-chan struct{}) bool {
	select {
	case <-pace.C:
		return true
	case <-done:
		return false
	}
}

// writeFrames writes msgs in frames of at most MaxBatch messages.
func writeFrames(conn *websocket.Conn, buf *bytes.Buffer, msgs [][]byte, o HubOptions) error {
	for len(msgs) > 0 {
		n := min(len(msgs), o.MaxBatch)
		buf.Reset()
		for i, m := range msgs[:n] {
			if i > 0 {
				buf.WriteByte('\n')
			}
			buf.Write(m)
		}
		_ = conn.SetWriteDeadline(time.Now().Add(o.WriteWait))
		if err := conn.WriteMessage(websocket.TextMessage, buf.Bytes()); err != nil {
			return err
		}
		msgs = msgs[n:]
	}
	if buf.Cap() > 1<<20 {
		*buf = bytes.Buffer{} // do not keep a huge buffer after a burst
	}
	return nil
}

// closeDropped says goodbye: "too slow" when the hub dropped the client,
// "going away" when the server is shutting down.
func (s *Server) closeDropped(conn *websocket.Conn, c *hubClient) {
	code, text := websocket.CloseGoingAway, "server closing"
	if s.hub.wasDropped(c) {
		code, text = websocket.ClosePolicyViolation, "client too slow, reconnect"
	}
	deadline := time.Now().Add(time.Second)
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), deadline)
}
