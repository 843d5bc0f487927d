package bot

import (
	"context"
	"sync"
	"time"
)

// groupCommit runs one write for many callers: each call returns once a
// write that included its items is done. A write starts as soon as the
// previous one is over and takes everything queued meanwhile, so there is
// no timer and no added wait: alone, a call costs one write; under load,
// one write carries many callers' items (one INSERT for a burst of webhook
// requests, one UPDATE for many finished updates) and the database does
// less per update. Written here because it is twenty lines around a mutex;
// the job-queue libraries batch their own tables, not ours.
type groupCommit[T any] struct {
	write func(ctx context.Context, items []T) error

	mu    sync.Mutex
	queue []groupCall[T]
	busy  bool
}

type groupCall[T any] struct {
	items []T
	done  chan error
}

// groupWriteTimeout bounds one write made on behalf of several callers,
// whose own contexts it cannot follow.
const groupWriteTimeout = 30 * time.Second

// do writes items, together with whatever other callers queue meanwhile.
// The caller that finds no write under way makes the writes, its own and
// those queued while it writes, until the queue is empty.
func (g *groupCommit[T]) do(ctx context.Context, items []T) error {
	call := groupCall[T]{items: items, done: make(chan error, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, call)
	if g.busy {
		g.mu.Unlock()
		select {
		case err := <-call.done:
			return err
		case <-ctx.Done():
			return ctx.Err() // the write may still happen; the caller treats it as not done
		}
	}
	g.busy = true
	g.mu.Unlock()
	g.flush(ctx, true)
	return <-call.done
}

// flush writes what is queued, round after round. The caller's own items
// are in the first round; if more queued meanwhile, a goroutine goes on with
// them (busy stays set, the queue as it is), so no caller's answer waits on
// other callers' writes.
func (g *groupCommit[T]) flush(ctx context.Context, first bool) {
	for round := 0; ; round++ {
		g.mu.Lock()
		if len(g.queue) == 0 {
			g.busy = false
			g.mu.Unlock()
			return
		}
		if first && round > 0 {
			g.mu.Unlock()
			go g.flush(context.WithoutCancel(ctx), false)
			return
		}
		batch := g.queue
		g.queue = nil
		g.mu.Unlock()
		var all []T
		for _, c := range batch {
			all = append(all, c.items...)
		}
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupWriteTimeout)
		err := g.write(wctx, all)
		cancel()
		for _, c := range batch {
			c.done <- err
		}
	}
}
