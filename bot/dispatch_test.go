package bot

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/go-telegram/bot/models"
)

func msgUpdate(id int64, chat int64) *models.Update {
	return &models.Update{ID: id, Message: &models.Message{ID: int(id), Chat: models.Chat{ID: chat, Type: "private"},
		From: &models.User{ID: chat}, Text: "x"}}
}

func TestUpdatesOfOneChatRunInOrderAndChatsInParallel(t *testing.T) {
	rec := newRecorder()
	rec.hold = make(chan struct{})
	d := newTestDispatcher(rec, nil)
	var results []<-chan error
	var id int64
	for range 20 {
		for _, chat := range []int64{1, 2, 3} {
			id++
			results = append(results, d.Submit(context.Background(), msgUpdate(id, chat)))
		}
	}
	// Release the handlers in a scrambled order: whatever order the
	// goroutines wake in, each chat's updates must run in submission order.
	var wg sync.WaitGroup
	wg.Go(func() {
		for range results {
			rec.hold <- struct{}{}
		}
	})
	for _, ch := range results {
		if err := <-ch; err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	for chat, ids := range rec.byChat {
		if !slices.IsSorted(ids) || len(ids) != 20 {
			t.Errorf("chat %d handled %v, want 20 updates in order", chat, ids)
		}
	}
}

func TestAChatDoesNotWaitForAnother(t *testing.T) {
	block := make(chan struct{})
	h := handlerFunc(func(_ context.Context, u *models.Update) error {
		if chatOf(u) == 1 {
			<-block // chat 1 is stuck
		}
		return nil
	})
	d := newTestDispatcher(h, nil)
	stuck := d.Submit(context.Background(), msgUpdate(1, 1))
	if err := d.Dispatch(context.Background(), msgUpdate(2, 2)); err != nil {
		t.Fatal(err)
	}
	close(block)
	<-stuck
}

func TestRedeliveredUpdateIsHandledOnce(t *testing.T) {
	rec := newRecorder()
	d := newTestDispatcher(rec, nil)
	for range 3 {
		if err := d.Dispatch(context.Background(), msgUpdate(7, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if len(rec.handled) != 1 {
		t.Errorf("handled %v, want update 7 once", rec.handled)
	}
}

func TestFailedUpdateIsReleasedForRedelivery(t *testing.T) {
	rec := newRecorder()
	rec.fail[9] = 1
	d := newTestDispatcher(rec, nil)
	if err := d.Dispatch(context.Background(), msgUpdate(9, 1)); !errors.Is(err, ErrRetryLater) {
		t.Fatalf("first delivery: %v, want ErrRetryLater", err)
	}
	if err := d.Dispatch(context.Background(), msgUpdate(9, 1)); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
	if len(rec.handled) != 1 {
		t.Errorf("handled %v, want update 9 once, on redelivery", rec.handled)
	}
}

func TestPanicIsRecoveredAndApologised(t *testing.T) {
	rec := newRecorder()
	rec.panicOn[5] = true
	sorry := &apologies{}
	d := newTestDispatcher(rec, sorry)
	if err := d.Dispatch(context.Background(), msgUpdate(5, 1)); err != nil {
		t.Fatalf("a panic is a bug, not a reason to redeliver: %v", err)
	}
	if len(sorry.ids) != 1 || sorry.ids[0] != 5 {
		t.Errorf("apologies %v", sorry.ids)
	}
	// The chat's lane is free again.
	if err := d.Dispatch(context.Background(), msgUpdate(6, 1)); err != nil || len(rec.handled) != 1 {
		t.Errorf("after the panic: %v, handled %v", err, rec.handled)
	}
}

type handlerFunc func(context.Context, *models.Update) error

func (f handlerFunc) Handle(ctx context.Context, u *models.Update) error { return f(ctx, u) }
