package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	dbmodels "github.com/rectibot/rectibot/models"
)

// flakyStore fails StoreUpdates the first times: the database is down
// (nothing written) for the first failures, and the last failure comes
// after the rows were written (the commit's answer was lost). Each call
// notes the updates and what the fake still holds unconfirmed then.
type flakyStore struct {
	InboxStore
	pending func() int // the fake's unconfirmed updates

	mu       sync.Mutex
	failures int // still to fail
	lastLost bool
	calls    []storeCall
	stored   chan []int64 // every successful call's ids
}

type storeCall struct {
	ids     []int64
	pending int
	ok      bool
}

var errDatabaseDown = errors.New("connection refused: the database is down")

func (f *flakyStore) StoreUpdates(ctx context.Context, ups []dbmodels.InboxUpdate) (int, error) {
	call := storeCall{pending: f.pending()}
	for _, u := range ups {
		call.ids = append(call.ids, u.UpdateID)
	}
	f.mu.Lock()
	fail := f.failures > 0
	lost := fail && f.failures == 1 && f.lastLost
	if fail {
		f.failures--
	}
	call.ok = !fail
	f.calls = append(f.calls, call)
	f.mu.Unlock()
	if fail && !lost {
		return 0, errDatabaseDown
	}
	n, err := f.InboxStore.StoreUpdates(ctx, ups)
	if err != nil || lost {
		return 0, errors.Join(errDatabaseDown, err)
	}
	if f.stored != nil {
		f.stored <- call.ids
	}
	return n, nil
}

func (f *flakyStore) history() []storeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// runPoller runs p until the test ends or stop is called; stop waits for it.
func runPoller(t *testing.T, p *Poller) (stop func()) {
	return runInBackground(t, context.Background(), "the poller", p.Run)
}

func TestThePollerConfirmsABatchOnlyOnceStored(t *testing.T) {
	flaky := &flakyStore{failures: 3, lastLost: true, stored: make(chan []int64, 10)}
	e := newInboxEnv(t, envOpts{wrap: func(s InboxStore) InboxStore {
		flaky.InboxStore = s
		return flaky
	}})
	flaky.pending = e.fake.Pending
	first := []*models.Update{e.fake.Text(42, "/tasks"), e.fake.Text(42, "整改完成"), e.fake.Text(43, "/digest"), e.fake.Text(42, "谢谢")}
	p := NewPoller(e.fake.URL(), e.fake.Token(), e.inbox, quiet(), 30*time.Second)
	var mu sync.Mutex
	var waits []time.Duration
	p.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	stop := runPoller(t, p)

	got := receive(t, flaky.stored, "the first batch stored once the database is back")
	if !slices.Equal(got, ids(first...)) {
		t.Fatalf("stored %v, want %v", got, ids(first...))
	}
	// Nothing was confirmed while it could not be stored, nor before it
	// was: each attempt found the whole batch still pending at the fake.
	calls := flaky.history()
	if len(calls) != 4 {
		t.Fatalf("%d store attempts, want 4 (3 failures, then stored): %+v", len(calls), calls)
	}
	for i, c := range calls {
		if !slices.Equal(c.ids, ids(first...)) || c.pending != len(first) {
			t.Errorf("store attempt %d: updates %v with %d pending at the fake; want %v, all %d pending",
				i+1, c.ids, c.pending, ids(first...), len(first))
		}
	}
	mu.Lock()
	if !slices.Equal(waits, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}) {
		t.Errorf("the poller waited %v between failed rounds, want 1s 2s 4s", waits)
	}
	mu.Unlock()
	// The next update comes with the first batch confirmed.
	later := e.fake.Text(43, "/tasks")
	if got := receive(t, flaky.stored, "the next update stored"); !slices.Equal(got, ids(later)) {
		t.Fatalf("stored %v, want %v", got, ids(later))
	}
	calls = flaky.history()
	if c := calls[len(calls)-1]; c.pending != 1 {
		t.Errorf("%d updates pending at the fake when the next was stored, want 1 (the first batch confirmed)", c.pending)
	}
	stop()

	e.work()
	all := append(ids(first...), later.ID)
	handled := e.h.all()
	slices.Sort(handled)
	if !slices.Equal(handled, all) {
		t.Errorf("handled %v, want each of %v once", handled, all)
	}
	if n := e.stored(); n != int64(len(all)) {
		t.Errorf("%d rows, want %d", n, len(all))
	}
	// Three rounds failed; each person heard once that they must wait.
	for _, chat := range []int64{42, 43} {
		if n := e.notices.count("delayed", chat); n != 1 {
			t.Errorf("chat %d told %d times of a delay, want once", chat, n)
		}
	}
	if n := len(e.notices.all()); n != 2 {
		t.Errorf("notices %+v, want two", e.notices.all())
	}
}

// scriptedAPI is a Bot API that answers getUpdates from a script, for what
// the strict fake never sends: an update the library cannot decode.
type scriptedAPI struct {
	mu      sync.Mutex
	answers []string // result arrays, one per call; then long polls that wait
	offsets []int64
	waiting chan int64 // the offset of every call that found the script done
}

func (s *scriptedAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/getUpdates") {
		http.NotFound(w, r)
		return
	}
	var req struct {
		Offset int64 `json:"offset"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	s.mu.Lock()
	s.offsets = append(s.offsets, req.Offset)
	var answer string
	if len(s.answers) > 0 {
		answer, s.answers = s.answers[0], s.answers[1:]
	}
	s.mu.Unlock()
	if answer == "" {
		s.waiting <- req.Offset
		<-r.Context().Done() // a long poll with nothing new
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"ok":true,"result":%s}`, answer)
}

func TestThePollerSkipsAnUndecodableUpdateAndGoesOn(t *testing.T) {
	e := newInboxEnv(t, envOpts{})
	good, _ := json.Marshal(e.fake.Text(7, "/tasks"))
	var head struct {
		ID int64 `json:"update_id"`
	}
	_ = json.Unmarshal(good, &head)
	bad := head.ID + 1
	after, _ := json.Marshal(&models.Update{ID: bad + 1, Message: &models.Message{ID: 99, Date: 1,
		Chat: models.Chat{ID: 7, Type: models.ChatTypePrivate}, From: &models.User{ID: 7, FirstName: "周"}, Text: "整改完成"}})
	api := &scriptedAPI{waiting: make(chan int64, 10), answers: []string{
		fmt.Sprintf(`[%s,{"update_id":%d,"message":{"message_id":"not a number","chat":"nor this"}}]`, good, bad),
		fmt.Sprintf(`[%s]`, after),
	}}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	p := NewPoller(srv.URL, "123:abc", e.inbox, quiet(), 30*time.Second)
	p.sleep = func(context.Context, time.Duration) error {
		t.Error("the poller backed off: an undecodable update is no failure")
		return nil
	}
	stop := runPoller(t, p)
	offset := receive(t, api.waiting, "the poller polls on past the undecodable update")
	stop()
	if offset != bad+2 {
		t.Errorf("polling on at offset %d, want %d (everything up to the undecodable update and after it confirmed)", offset, bad+2)
	}
	api.mu.Lock()
	offsets := slices.Clone(api.offsets)
	api.mu.Unlock()
	if !slices.Equal(offsets, []int64{0, bad + 1, bad + 2}) {
		t.Errorf("getUpdates offsets %v, want [0 %d %d]", offsets, bad+1, bad+2)
	}
	if n := e.stored(); n != 2 {
		t.Errorf("%d rows stored, want 2 (the undecodable update is not stored)", n)
	}
	e.work()
	if got := e.h.all(); !slices.Equal(got, []int64{head.ID, bad + 1}) {
		t.Errorf("handled %v, want [%d %d]", got, head.ID, bad+1)
	}
}

func TestDecodeUpdate(t *testing.T) {
	for _, body := range []string{"", "{", "[]", `"x"`, `{}`, `{"update_id":0}`, `{"update_id":5,"message":{"chat":"x"}}`} {
		if _, err := decodeUpdate([]byte(body)); !errors.Is(err, errNotUpdate) {
			t.Errorf("%q: err %v, want errNotUpdate", body, err)
		}
	}
	raw := `{"update_id":5,"message":{"message_id":1,"date":1,"chat":{"id":7,"type":"private"},"text":"/tasks","new_field":{"a":1}}}`
	in, err := decodeUpdate([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if in.upd.ID != 5 || chatOf(&in.upd) != 7 || kindOf(&in.upd) != dbmodels.UpdateCommand || string(in.raw) != raw {
		t.Errorf("decoded %+v kind %s, raw %s: want update 5 of chat 7, a command, kept as it came", in.upd, kindOf(&in.upd), in.raw)
	}
}
