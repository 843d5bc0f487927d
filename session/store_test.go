package session

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"
)

const (
	chat  = int64(-1001234567890)
	user  = int64(424242)
	other = int64(777)
)

// behaviours run against every store in factories.
var behaviours = []struct {
	name string
	run  func(t *testing.T, h harness)
}{
	{"empty", func(t *testing.T, h harness) {
		ctx := context.Background()
		if _, ok, err := h.store.Get(ctx, chat, user); ok || err != nil {
			t.Fatalf("Get on nothing = ok %v, err %v", ok, err)
		}
		mustExpired(t, h, false)
		if err := h.store.Delete(ctx, chat, user); err != nil {
			t.Fatalf("Delete on nothing: %v", err)
		}
		if err := h.store.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	}},
	{"update then get round-trips every field", func(t *testing.T, h harness) {
		ctx := context.Background()
		want := State{
			Dialogue: "report", Step: "attach", TaskID: 17,
			Data: map[string]string{"text": "已整改 <b>&", "deadline": "2026-06-30"},
			Attachments: []Attachment{
				{Kind: AttachmentPhoto, FileID: "AgAC-1", FileUniqueID: "u1", Size: 52344},
				{Kind: AttachmentDocument, FileID: "BQAC-2", FileUniqueID: "u2", FileName: "整改报告.pdf", MIMEType: "application/pdf", Size: 1 << 20},
			},
			MediaGroupID: "13579",
		}
		written, err := h.store.Update(ctx, chat, user, func(st *State, exists bool) error {
			if exists {
				t.Error("exists = true for a new state")
			}
			if st.Data == nil {
				t.Error("fn got a nil Data map")
			}
			*st = want
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if written.UpdatedAt.IsZero() {
			t.Error("UpdatedAt not set")
		}
		got, ok, err := h.store.Get(ctx, chat, user)
		if !ok || err != nil {
			t.Fatalf("Get = ok %v, err %v", ok, err)
		}
		if !got.UpdatedAt.Equal(written.UpdatedAt) {
			t.Errorf("UpdatedAt %v, written %v", got.UpdatedAt, written.UpdatedAt)
		}
		got.UpdatedAt = time.Time{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Get = %+v\nwant %+v", got, want)
		}
		// What Get hands out is a copy.
		got.Data["text"] = "changed"
		again, _, _ := h.store.Get(ctx, chat, user)
		if again.Data["text"] != want.Data["text"] {
			t.Error("mutating a returned state changed the store")
		}
		mustExpired(t, h, false)
	}},
	{"update sees the previous state; keys are per chat and user", func(t *testing.T, h harness) {
		ctx := context.Background()
		set(t, h, chat, user, "a")
		set(t, h, chat, other, "b")
		set(t, h, -chat, user, "c")
		_, err := h.store.Update(ctx, chat, user, func(st *State, exists bool) error {
			if !exists || st.Step != "a" {
				t.Errorf("fn saw exists %v step %q, want the stored state", exists, st.Step)
			}
			st.Step += "2"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			chat, user int64
			step       string
		}{{chat, user, "a2"}, {chat, other, "b"}, {-chat, user, "c"}} {
			if st, _, _ := h.store.Get(ctx, c.chat, c.user); st.Step != c.step {
				t.Errorf("%d/%d step %q, want %q", c.chat, c.user, st.Step, c.step)
			}
		}
	}},
	{"fn error writes nothing and is returned", func(t *testing.T, h harness) {
		ctx := context.Background()
		boom := errors.New("bad deadline")
		if _, err := h.store.Update(ctx, chat, user, func(st *State, _ bool) error {
			st.Step = "x"
			return boom
		}); err != boom {
			t.Fatalf("err = %v, want fn's error unchanged", err)
		}
		if _, ok, _ := h.store.Get(ctx, chat, user); ok {
			t.Error("a failed fn created a state")
		}
		mustExpired(t, h, false) // and no tombstone either
		set(t, h, chat, user, "kept")
		_, _ = h.store.Update(ctx, chat, user, func(st *State, _ bool) error { st.Step = "lost"; return boom })
		if st, _, _ := h.store.Get(ctx, chat, user); st.Step != "kept" {
			t.Errorf("step %q after failed fn, want kept", st.Step)
		}
	}},
	{"ErrDelete and Delete remove state and tombstone", func(t *testing.T, h harness) {
		ctx := context.Background()
		set(t, h, chat, user, "a")
		st, err := h.store.Update(ctx, chat, user, func(*State, bool) error { return ErrDelete })
		if err != nil || !reflect.DeepEqual(st, State{}) {
			t.Fatalf("Update(ErrDelete) = %+v, %v", st, err)
		}
		if _, ok, _ := h.store.Get(ctx, chat, user); ok {
			t.Error("state survived ErrDelete")
		}
		mustExpired(t, h, false)

		set(t, h, chat, user, "b")
		if err := h.store.Delete(ctx, chat, user); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := h.store.Get(ctx, chat, user); ok {
			t.Error("state survived Delete")
		}
		mustExpired(t, h, false)
	}},
	{"expiry leaves a tombstone for a day", func(t *testing.T, h harness) {
		ctx := context.Background()
		set(t, h, chat, user, "a")
		h.age(t, DefaultTTL-time.Second)
		if _, ok, _ := h.store.Get(ctx, chat, user); !ok {
			t.Fatal("state gone before its TTL")
		}
		h.age(t, 2*time.Second)
		if _, ok, err := h.store.Get(ctx, chat, user); ok || err != nil {
			t.Fatalf("after TTL: Get ok %v err %v, want gone", ok, err)
		}
		mustExpired(t, h, true)
		h.age(t, tombstoneGrace)
		mustExpired(t, h, false)
	}},
	{"every write renews the TTL", func(t *testing.T, h harness) {
		ctx := context.Background()
		set(t, h, chat, user, "a")
		h.age(t, 20*time.Minute)
		set(t, h, chat, user, "b")
		h.age(t, 20*time.Minute) // 40 min after the first write
		if st, ok, _ := h.store.Get(ctx, chat, user); !ok || st.Step != "b" {
			t.Fatalf("renewed state gone or wrong: ok %v step %q", ok, st.Step)
		}
		h.age(t, 10*time.Minute+time.Second)
		if _, ok, _ := h.store.Get(ctx, chat, user); ok {
			t.Fatal("state outlived TTL after its last write")
		}
		mustExpired(t, h, true)
	}},
	{"update after expiry starts fresh", func(t *testing.T, h harness) {
		ctx := context.Background()
		set(t, h, chat, user, "a")
		h.age(t, DefaultTTL+time.Second)
		_, err := h.store.Update(ctx, chat, user, func(st *State, exists bool) error {
			if exists || st.Step != "" {
				t.Errorf("fn saw expired state: exists %v step %q", exists, st.Step)
			}
			st.Step = "new"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		mustExpired(t, h, false)
	}},
	{"endless conflicts end in ErrConflict, reported as unavailable", func(t *testing.T, h harness) {
		ctx := context.Background()
		calls := 0
		_, err := h.store.Update(ctx, chat, user, func(st *State, _ bool) error {
			calls++
			// Another writer gets in between every read and write. (fn
			// must not do this; here it stands for a replica racing us.)
			set(t, h, chat, user, strconv.Itoa(calls))
			return nil
		})
		if !errors.Is(err, ErrConflict) || !errors.Is(err, ErrUnavailable) {
			t.Fatalf("err = %v, want ErrConflict and ErrUnavailable", err)
		}
		if calls != maxAttempts {
			t.Errorf("fn ran %d times, want %d", calls, maxAttempts)
		}
	}},
	{"concurrent updates all land", func(t *testing.T, h harness) {
		ctx := context.Background()
		const workers, each = 20, 10
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for range each {
					_, err := h.store.Update(ctx, chat, user, func(st *State, _ bool) error {
						n, _ := strconv.Atoi(st.Data["n"])
						st.Data["n"] = strconv.Itoa(n + 1)
						return nil
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		st, _, err := h.store.Get(ctx, chat, user)
		if err != nil || st.Data["n"] != strconv.Itoa(workers*each) {
			t.Fatalf("counter %q (err %v), want %d", st.Data["n"], err, workers*each)
		}
	}},
}

func TestStores(t *testing.T) {
	for _, f := range factories(t) {
		t.Run(f.name, func(t *testing.T) {
			for _, b := range behaviours {
				t.Run(b.name, func(t *testing.T) {
					t.Parallel()
					b.run(t, f.make(t, DefaultTTL))
				})
			}
		})
	}
}

func set(t *testing.T, h harness, chatID, userID int64, step string) {
	t.Helper()
	if _, err := h.store.Update(context.Background(), chatID, userID, func(st *State, _ bool) error {
		st.Dialogue, st.Step = "report", step
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func mustExpired(t *testing.T, h harness, want bool) {
	t.Helper()
	got, err := h.store.Expired(context.Background(), chat, user)
	if err != nil || got != want {
		t.Fatalf("Expired = %v, %v; want %v", got, err, want)
	}
}
