package bot

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/internal/tgfake"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/ratelimit"
)

const (
	inspector int64 = 42 // asks to see the evidence
	rectifier int64 = 77 // sent it
)

// taskDeliveries records what memDeliveries drops: the tasks a message is
// about (a reply to it is progress on them).
type taskDeliveries struct {
	memDeliveries
	tasks [][]uint
}

func (m *taskDeliveries) RecordDelivery(ctx context.Context, d dbmodels.Delivery, taskIDs []uint) error {
	m.mu.Lock()
	m.tasks = append(m.tasks, slices.Clone(taskIDs))
	m.mu.Unlock()
	return m.memDeliveries.RecordDelivery(ctx, d, taskIDs)
}

// countingLimiter counts the messages the sender asked the limiter for.
type countingLimiter struct {
	Limiter
	mu    sync.Mutex
	waits int
}

func (c *countingLimiter) Wait(ctx context.Context, chatID int64) error {
	c.mu.Lock()
	c.waits++
	c.mu.Unlock()
	return c.Limiter.Wait(ctx, chatID)
}

type filesEnv struct {
	*edgeEnv
	store   *taskDeliveries
	limiter *countingLimiter
}

// newFilesEnv is an edge whose limiter lets everything through, so the
// fake's flood limits (limits) are what the sender meets; the inspector
// and the rectifier have started the bot.
func newFilesEnv(t *testing.T, limits tgfake.Limits) *filesEnv {
	t.Helper()
	f := &filesEnv{store: &taskDeliveries{}, limiter: &countingLimiter{Limiter: ratelimit.NewLocal(generous)}}
	f.edgeEnv = newEdgeWith(t, limits, generous, func(o *Options) { o.Store, o.Limiter = f.store, f.limiter })
	f.fake.AddUser(models.User{ID: inspector, FirstName: "李督导"})
	f.fake.AddUser(models.User{ID: rectifier, FirstName: "周杰"})
	return f
}

// photos has the rectifier send n photos; it returns them as stored files.
func (f *filesEnv) photos(n int) []outbound.StoredFile {
	var out []outbound.StoredFile
	for range n {
		u := f.fake.Photo(rectifier, "", "")
		out = append(out, outbound.StoredFile{Kind: "photo", FileID: u.Message.Photo[len(u.Message.Photo)-1].FileID})
	}
	return out
}

func (f *filesEnv) document(name string) outbound.StoredFile {
	u := f.fake.Document(rectifier, name, "application/pdf", 1000, "")
	return outbound.StoredFile{Kind: "document", FileID: u.Message.Document.FileID}
}

func (f *filesEnv) rejected(code int, method string) int {
	n := 0
	for _, r := range f.fake.Rejected() {
		if r.Code == code && r.Method == method {
			n++
		}
	}
	return n
}

func sentFile(m tgfake.Sent) string {
	switch {
	case m.Photo != nil:
		return m.Photo.FileID
	case m.Document != nil:
		return m.Document.FileID
	}
	return ""
}

func TestTwelvePhotosGoAsTwoAlbums(t *testing.T) {
	f := newFilesEnv(t, tgfake.Limits{})
	files := f.photos(12)
	files[0].Caption = "<b>周杰</b> 3月2日 提交"
	person := uint(5)
	ids, err := f.bot.Sender().SendFiles(t.Context(), outbound.Files{ChatID: inspector, Files: files,
		Kind: "evidence", PersonID: &person, TaskIDs: []uint{31}})
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.fake.Messages(inspector)
	if len(msgs) != 12 || len(ids) != 12 || f.fake.Calls("sendPhoto") != 0 {
		t.Fatalf("%d messages, %d ids, %d sendPhoto calls; want 12 album items", len(msgs), len(ids), f.fake.Calls("sendPhoto"))
	}
	for i, m := range msgs {
		want := msgs[0].MediaGroupID
		if i >= 10 {
			want = msgs[10].MediaGroupID
		}
		if m.Method != "sendMediaGroup" || m.MediaGroupID != want || sentFile(m) != files[i].FileID || m.MessageID != ids[i] {
			t.Errorf("message %d: %s in album %q with %q (id %d, returned %d)", i, m.Method, m.MediaGroupID, sentFile(m), m.MessageID, ids[i])
		}
	}
	if msgs[0].MediaGroupID == msgs[10].MediaGroupID {
		t.Error("the 11th and 12th photos are in the first album")
	}
	// Each album says whose photos these are; the other items say nothing.
	if msgs[0].Caption != "周杰 3月2日 提交" || msgs[10].Caption != msgs[0].Caption || msgs[1].Caption != "" || msgs[11].Caption != "" {
		t.Errorf("captions %q %q %q %q", msgs[0].Caption, msgs[1].Caption, msgs[10].Caption, msgs[11].Caption)
	}
	// Every photo is a delivery about the task, so a reply to any is progress.
	if len(f.store.deliveries) != 12 {
		t.Fatalf("%d deliveries, want 12", len(f.store.deliveries))
	}
	for i, d := range f.store.deliveries {
		if d.Kind != "evidence" || d.PersonID == nil || *d.PersonID != 5 || d.MessageID != int64(ids[i]) ||
			!slices.Equal(f.store.tasks[i], []uint{31}) {
			t.Errorf("delivery %d = %+v about %v", i, d, f.store.tasks[i])
		}
	}
	// The first album fills the chat's budget for ten sends: the second was
	// refused with a 429 and waited out, and the limiter was asked for every
	// item (and again for the retry).
	if r := f.rejected(429, "sendMediaGroup"); r == 0 || len(f.waits) != r {
		t.Errorf("%d 429s on sendMediaGroup, %d waits", r, len(f.waits))
	}
	if want := 12 + f.rejected(429, "sendMediaGroup"); f.limiter.waits != want {
		t.Errorf("the limiter was asked %d times, want %d", f.limiter.waits, want)
	}
}

func TestOnePhotoGoesBySendPhoto(t *testing.T) {
	f := newFilesEnv(t, tgfake.Limits{Unlimited: true})
	files := f.photos(1)
	files[0].Caption = "周杰 提交"
	ids, err := f.bot.Sender().SendFiles(t.Context(), outbound.Files{ChatID: inspector, Files: files, Kind: "evidence"})
	if err != nil {
		t.Fatal(err)
	}
	last := f.fake.Last(inspector)
	if len(ids) != 1 || last.Method != "sendPhoto" || sentFile(last) != files[0].FileID || last.Caption != "周杰 提交" ||
		f.fake.Calls("sendMediaGroup") != 0 {
		t.Fatalf("ids %v, last %+v, %d sendMediaGroup calls", ids, last, f.fake.Calls("sendMediaGroup"))
	}
}

func TestDocumentsGoOneByOneInOrder(t *testing.T) {
	f := newFilesEnv(t, tgfake.Limits{Unlimited: true})
	ph := f.photos(3)
	files := []outbound.StoredFile{ph[0], ph[1], f.document("方案.pdf"), f.document("验收.pdf"), ph[2], f.document("照片说明.pdf")}
	files[2].Caption = "整改方案"
	ids, err := f.bot.Sender().SendFiles(t.Context(), outbound.Files{ChatID: inspector, Files: files, Kind: "evidence"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.fake.Messages(inspector)
	wantMethods := []string{"sendMediaGroup", "sendMediaGroup", "sendDocument", "sendDocument", "sendPhoto", "sendDocument"}
	if len(msgs) != len(files) || len(ids) != len(files) {
		t.Fatalf("%d messages, %d ids", len(msgs), len(ids))
	}
	for i, m := range msgs {
		if m.Method != wantMethods[i] || sentFile(m) != files[i].FileID {
			t.Errorf("message %d: %s of %q, want %s of %q", i, m.Method, sentFile(m), wantMethods[i], files[i].FileID)
		}
	}
	if msgs[2].Caption != "整改方案" || msgs[3].Caption != "" || msgs[2].Document.Name != "方案.pdf" {
		t.Errorf("documents: %q %q %q", msgs[2].Caption, msgs[3].Caption, msgs[2].Document.Name)
	}
	if len(f.store.deliveries) != len(files) {
		t.Errorf("%d deliveries", len(f.store.deliveries))
	}
}

func TestARefusedFileIDIsRejectedAndTheOthersStillGo(t *testing.T) {
	f := newFilesEnv(t, tgfake.Limits{Unlimited: true})
	files := f.photos(3)
	files[0].FileID = "AgACAgIAAxkBAAIexpired"
	files[0].Caption = "周杰 提交"
	ids, err := f.bot.Sender().SendFiles(t.Context(), outbound.Files{ChatID: inspector, Files: files, Kind: "evidence"})
	if !errors.Is(err, outbound.ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", err)
	}
	var refused *outbound.FilesRefusedError
	if !errors.As(err, &refused) || len(refused.Files) != 1 || refused.Files[0].FileID != files[0].FileID {
		t.Fatalf("refused = %+v", refused)
	}
	// The album was refused whole; photo by photo, the other two went, the
	// first of them with the album's caption.
	msgs := f.fake.Messages(inspector)
	if len(ids) != 2 || len(msgs) != 2 || sentFile(msgs[0]) != files[1].FileID || msgs[0].Caption != "周杰 提交" ||
		sentFile(msgs[1]) != files[2].FileID || msgs[1].Caption != "" {
		t.Fatalf("ids %v, messages %+v", ids, msgs)
	}
	if f.rejected(400, "sendMediaGroup") != 1 || f.rejected(400, "sendPhoto") != 1 {
		t.Errorf("rejected %+v", f.fake.Rejected())
	}

	// A lone document that Telegram does not know.
	_, err = f.bot.Sender().SendFiles(t.Context(), outbound.Files{ChatID: inspector,
		Files: []outbound.StoredFile{{Kind: "document", FileID: "BQACAgIAAxkBAAIgone"}}})
	if !errors.Is(err, outbound.ErrRejected) || f.fake.Calls("sendDocument") != 1 {
		t.Fatalf("err = %v after %d sendDocument calls; want one refused call", err, f.fake.Calls("sendDocument"))
	}
	// A kind the sender does not know is a bug: nothing is sent.
	_, err = f.bot.Sender().SendFiles(t.Context(), outbound.Files{ChatID: inspector,
		Files: []outbound.StoredFile{{Kind: "video", FileID: files[1].FileID}}})
	if err == nil || errors.Is(err, outbound.ErrRejected) || len(f.fake.Messages(inspector)) != 2 {
		t.Fatalf("a video: err = %v", err)
	}
}

func TestA429OnAnAlbumIsWaitedOut(t *testing.T) {
	f := newFilesEnv(t, tgfake.Limits{})
	s := f.bot.Sender()
	for range 3 { // the private chat's burst
		if _, err := s.Send(t.Context(), outbound.Message{ChatID: inspector, Text: "提醒"}); err != nil {
			t.Fatal(err)
		}
	}
	files := f.photos(2)
	ids, err := s.SendFiles(t.Context(), outbound.Files{ChatID: inspector, Files: files, Kind: "evidence"})
	if err != nil {
		t.Fatal(err)
	}
	if f.rejected(429, "sendMediaGroup") == 0 || len(f.waits) == 0 {
		t.Fatalf("no 429 on the album (waits %v): the test did not exercise the retry", f.waits)
	}
	msgs := f.fake.Messages(inspector)
	if len(ids) != 2 || len(msgs) != 5 || msgs[3].MediaGroupID == "" || msgs[3].MediaGroupID != msgs[4].MediaGroupID {
		t.Fatalf("ids %v; %d messages", ids, len(msgs))
	}
	if gap := msgs[3].At.Sub(msgs[2].At); gap < f.waits[0] {
		t.Errorf("the album went %s after the burst, before its retry_after %s", gap, f.waits[0])
	}
}

func TestFlakyTelegramDeliversEachAlbumOnce(t *testing.T) {
	f := newFilesEnv(t, tgfake.Limits{Unlimited: true})
	f.fake.SetFaults(tgfake.FaultConfig{Rate429: 0.2, Rate500: 0.15, RetryAfter: 2, Seed: 3})
	files := f.photos(4)
	for range 20 {
		if _, err := f.bot.Sender().SendFiles(t.Context(), outbound.Files{ChatID: inspector, Files: files}); err != nil {
			t.Fatal(err)
		}
	}
	albums := map[string]int{}
	for _, m := range f.fake.Messages(inspector) {
		albums[m.MediaGroupID]++
	}
	if len(albums) != 20 {
		t.Errorf("%d albums, want 20", len(albums))
	}
	for g, n := range albums {
		if n != 4 {
			t.Errorf("album %q has %d photos, want 4", g, n)
		}
	}
	if f.rejected(429, "sendMediaGroup") == 0 || f.rejected(500, "sendMediaGroup") == 0 {
		t.Errorf("no faults injected: %+v", f.fake.Rejected())
	}
}

func TestBlockedInspectorStopsTheFiles(t *testing.T) {
	f := newFilesEnv(t, tgfake.Limits{Unlimited: true})
	files := append(f.photos(2), f.document("a.pdf"))
	f.fake.Block(inspector)
	ids, err := f.bot.Sender().SendFiles(t.Context(), outbound.Files{ChatID: inspector, Files: files})
	if !errors.Is(err, outbound.ErrUnreachable) || len(ids) != 0 {
		t.Fatalf("ids %v, err %v; want ErrUnreachable", ids, err)
	}
	if f.fake.Calls("sendMediaGroup") != 1 || f.fake.Calls("sendPhoto")+f.fake.Calls("sendDocument") != 0 {
		t.Errorf("calls after a 403: %d albums, %d photos, %d documents", f.fake.Calls("sendMediaGroup"),
			f.fake.Calls("sendPhoto"), f.fake.Calls("sendDocument"))
	}
}
