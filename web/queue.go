package web

import "sync"

// sendQueue is one client's bounded queue of encoded messages. The hub
// pushes without ever waiting; the writer takes everything queued at once,
// so a burst goes out in few frames. It grows only as far as a backlog
// needs and never past its bounds: a push beyond them fails and the hub
// drops the client. Messages are shared between clients (encoded once).
type sendQueue struct {
	mu       sync.Mutex
	msgs     [][]byte
	bytes    int
	closed   bool
	maxMsgs  int
	maxBytes int
	wake     chan struct{} // capacity 1: "there is something to take or the queue closed"
}

func newSendQueue(maxMsgs, maxBytes int) *sendQueue {
	return &sendQueue{maxMsgs: maxMsgs, maxBytes: maxBytes, wake: make(chan struct{}, 1)}
}

// push appends msg, or reports false when the queue is full or closed.
func (q *sendQueue) push(msg []byte) bool {
	q.mu.Lock()
	if q.closed || len(q.msgs) >= q.maxMsgs || q.bytes+len(msg) > q.maxBytes {
		q.mu.Unlock()
		return false
	}
	q.msgs = append(q.msgs, msg)
	q.bytes += len(msg)
	q.mu.Unlock()
	q.signal()
	return true
}

func (q *sendQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default: // already signalled
	}
}

// close makes later pushes fail and wakes the writer so it notices.
func (q *sendQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

// take swaps out everything queued, handing back spare (emptied) for reuse,
// and reports whether the queue is closed. A closed queue still yields what
// was queued before closing only when it was not dropped; the caller decides.
func (q *sendQueue) take(spare [][]byte) (msgs [][]byte, closed bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	msgs = q.msgs
	clear(spare) // do not pin old messages through the spare's backing array
	if cap(spare) > 4096 {
		spare = nil // a past burst: let its big backing array go
	}
	q.msgs, q.bytes = spare[:0], 0
	return msgs, q.closed
}
