package web

import "testing"

func TestSendQueueBounds(t *testing.T) {
	q := newSendQueue(3, 10)
	if !q.push([]byte("abcd")) || !q.push([]byte("efgh")) {
		t.Fatal("pushes within bounds refused")
	}
	if q.push([]byte("ijk")) {
		t.Fatal("push beyond the byte bound accepted")
	}
	msgs, closed := q.take(nil)
	if len(msgs) != 2 || closed || string(msgs[1]) != "efgh" {
		t.Fatalf("take: %q closed=%v", msgs, closed)
	}
	for i := 0; i < 3; i++ {
		if !q.push([]byte("x")) {
			t.Fatalf("push %d after take refused", i)
		}
	}
	if q.push([]byte("x")) {
		t.Fatal("push beyond the message bound accepted")
	}
	q.close()
	if q.push([]byte("x")) {
		t.Fatal("push after close accepted")
	}
	if _, closed := q.take(msgs); !closed {
		t.Fatal("take after close does not report it")
	}
	select {
	case <-q.wake:
	default:
		t.Fatal("close did not wake the writer")
	}
}
