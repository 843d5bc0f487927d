package syncbuf

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestWritersAtOnce: lines written from many goroutines all arrive whole
// (run with -race), and Tail gives the last ones.
func TestWritersAtOnce(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				fmt.Fprintf(&b, "g%d line %d\n", g, i)
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if n := strings.Count(b.String(), "\n"); n != 800 {
		t.Errorf("%d lines, want 800", n)
	}
	if tail := strings.Split(b.Tail(3), "\n"); len(tail) != 3 || !strings.Contains(tail[2], "line 99") {
		t.Errorf("Tail(3) = %q", tail)
	}
	var empty Buffer
	if got := empty.Tail(5); got != "" {
		t.Errorf("Tail of nothing = %q", got)
	}
}
