package fastyaml

import (
	"encoding/binary"
	"testing"
)

// TestWordIsPlainASCII compares the word-at-a-time check with the byte one
// on words made of every interesting byte.
func TestWordIsPlainASCII(t *testing.T) {
	interesting := []byte{0, 1, '\t', '\n', '\r', 0x1f, ' ', 'a', 0x7e, 0x7f, 0x80, 0xc2, 0xff}
	var buf [8]byte
	for _, a := range interesting {
		for _, b := range interesting {
			for pos := 0; pos < 7; pos++ {
				for i := range buf {
					buf[i] = 'x'
				}
				buf[pos], buf[pos+1] = a, b
				want := true
				for _, c := range buf {
					if c >= 0x80 || checkChar([]byte{c}) == 0 {
						want = false
					}
				}
				if got := wordIsPlainASCII(binary.LittleEndian.Uint64(buf[:])); got != want {
					t.Errorf("%q: got %v, want %v", buf, got, want)
				}
			}
		}
	}
}
