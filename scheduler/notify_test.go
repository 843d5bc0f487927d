package scheduler

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/schedule"
)

// recordingSender is the one sender as the notifier sees it: it keeps what
// was sent, by chat, and records each delivery in the ledger as the real
// sender does.
type recordingSender struct {
	mu     sync.Mutex
	sent   []outbound.Message
	signal chan struct{}
	store  *models.Store
}

func (s *recordingSender) Send(ctx context.Context, m outbound.Message) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	if s.store != nil && m.Key != "" {
		if err := s.store.RecordDelivery(ctx, models.Delivery{IdempotencyKey: m.Key, ChatID: m.ChatID, MessageID: int64(len(s.sent)), Kind: string(m.Kind)}, m.TaskIDs); err != nil {
			return 0, err
		}
	}
	if s.signal != nil {
		close(s.signal)
		s.signal = nil
	}
	return len(s.sent), nil
}

// wait returns a channel closed at the next send.
func (s *recordingSender) wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.signal == nil {
		s.signal = make(chan struct{})
	}
	return s.signal
}
func (s *recordingSender) Edit(context.Context, outbound.Edit) error { return nil }
func (s *recordingSender) SendDocument(context.Context, outbound.Document) (int, error) {
	return 0, nil
}
func (s *recordingSender) Answer(context.Context, string, string, bool) error { return nil }
func (s *recordingSender) ChatAction(context.Context, int64, string) error    { return nil }
func (s *recordingSender) SendFiles(context.Context, outbound.Files) ([]int, error) {
	return nil, nil
}

func (s *recordingSender) to(chat int64) []outbound.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []outbound.Message
	for _, m := range s.sent {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

type notifyEnv struct {
	store *models.Store
	out   *recordingSender
	n     *Notifier
	clock *clock.Manual
}

// newNotifyEnv imports the Dongguan plan (every task open, the 2021
// deadlines) and links the people given, name → Telegram id.
func newNotifyEnv(t *testing.T, people map[string]int64) *notifyEnv {
	t.Helper()
	db, _ := testdb.Open(t)
	clk := clock.NewManual(time.Date(2021, 9, 1, 8, 0, 0, 0, shanghai))
	store := models.NewStore(db, clk)
	res, err := importer.Read(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "plan.csv")), "plan.csv", importer.Options{PlanYear: 2021})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.ImportPlan(context.Background(), models.PlanSpec{Title: "东莞", Year: 2021}, res.Rows, models.CLIActor, false); err != nil {
		t.Fatal(err)
	}
	for name, id := range people {
		code, _, err := store.CreateInvite(context.Background(), models.PersonRef{Name: name}, ledger.RoleOfficer, time.Hour, models.CLIActor)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.RedeemInvite(context.Background(), code, id); err != nil {
			t.Fatal(err)
		}
	}
	out := &recordingSender{store: store}
	return &notifyEnv{store: store, out: out, clock: clk,
		n: &Notifier{Store: store, Out: out, Settings: schedule.DefaultSettings(ledger.NewChinaCalendar(nil)), Admins: []int64{9001}}}
}

func (e *notifyEnv) person(t *testing.T, name string) uint {
	t.Helper()
	return personNamed(t, e.store, name)
}

// personNamed is the id of the ledger's person called name.
func personNamed(t *testing.T, store *models.Store, name string) uint {
	t.Helper()
	people, err := store.People(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if p.Name == name {
			return p.ID
		}
	}
	t.Fatalf("no person %s", name)
	return 0
}

// everyDay calls Notify for rc at 09:00 and 15:00 of each day from → to and
// returns, per day, the texts sent that day.
func (e *notifyEnv) everyDay(t *testing.T, rc Recipient, from, to ledger.Date) map[ledger.Date][]string {
	t.Helper()
	got := map[ledger.Date][]string{}
	for d := from; !d.After(to); d = d.AddDays(1) {
		for _, hour := range []int{9, 15} {
			now := time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, shanghai)
			before := len(e.out.to(rc.TelegramID))
			if _, err := e.n.Notify(context.Background(), rc, now); err != nil {
				t.Fatalf("%s %02d:00: %v", d, hour, err)
			}
			for _, m := range e.out.to(rc.TelegramID)[before:] {
				got[d] = append(got[d], m.Text)
			}
		}
	}
	return got
}

func TestOneTasksLadderAcrossNationalDay2021(t *testing.T) {
	e := newNotifyEnv(t, map[string]int64{"刘洋": 1003, "政治部主任": 2002})
	officer := Recipient{PersonID: e.person(t, "刘洋"), TelegramID: 1003}
	got := e.everyDay(t, officer, ledger.MustDate(2021, 9, 20), ledger.MustDate(2021, 10, 15))
	// Task 4 is due 2021-09-30: reminders 7, 3, 1 days before and on the day;
	// then an overdue notice each working day — none in the National Day
	// holiday (Oct 1–7), one on the make-up Saturday Oct 9.
	want := []string{"2021-09-23", "2021-09-27", "2021-09-29", "2021-09-30", "2021-10-08", "2021-10-09", "2021-10-11",
		"2021-10-12", "2021-10-13", "2021-10-14", "2021-10-15"}
	var days []string
	for d, texts := range got {
		if len(texts) != 1 {
			t.Errorf("%s: %d messages, want one calm message a day", d, len(texts))
		}
		if !strings.Contains(texts[0], "<b>4</b>") {
			t.Errorf("%s: %q does not list task 4", d, texts[0])
		}
		days = append(days, d.String())
	}
	slices.Sort(days)
	if !slices.Equal(days, want) {
		t.Errorf("messages on %v,\nwant        %v", days, want)
	}
	if !strings.Contains(got[ledger.MustDate(2021, 9, 30)][0], "今日到期") || !strings.Contains(got[ledger.MustDate(2021, 10, 8)][0], "已逾期 1 个工作日") ||
		!strings.Contains(got[ledger.MustDate(2021, 10, 11)][0], "已逾期 3 个工作日") {
		t.Errorf("the wording does not count the days: %q / %q", got[ledger.MustDate(2021, 9, 30)], got[ledger.MustDate(2021, 10, 11)])
	}

	// The leader hears on the third working day late, once.
	leader := Recipient{PersonID: e.person(t, "政治部主任"), TelegramID: 2002}
	lgot := e.everyDay(t, leader, ledger.MustDate(2021, 9, 20), ledger.MustDate(2021, 10, 20))
	for day, msgs := range lgot {
		mentions := strings.Contains(strings.Join(msgs, "\n"), "<b>4</b>")
		if mentions != (day == ledger.MustDate(2021, 10, 11)) {
			t.Errorf("%s: leader escalation of task 4 = %v, want it on 2021-10-11 only: %v", day, mentions, msgs)
		}
	}
	if m := lgot[ledger.MustDate(2021, 10, 11)]; len(m) != 1 || !strings.Contains(m[0], "刘洋") || !strings.Contains(m[0], "逾期 3 个工作日") {
		t.Errorf("the escalation names the officer and the days late: %v", m)
	}
	// The admins on the seventh (Oct 15: Oct 8, 9, 11, 12, 13, 14, 15).
	admin := Recipient{TelegramID: 9001}
	agot := e.everyDay(t, admin, ledger.MustDate(2021, 10, 14), ledger.MustDate(2021, 10, 15))
	// (The ledger was imported late, so the admins also get the escalations
	// of older late tasks, caught up once on the first day.)
	for day, msgs := range agot {
		mentions := strings.Contains(strings.Join(msgs, "\n"), "<b>4</b>")
		if mentions != (day == ledger.MustDate(2021, 10, 15)) {
			t.Errorf("%s: admin escalation of task 4 = %v, want it on 2021-10-15 only", day, mentions)
		}
	}
	if again := e.everyDay(t, admin, ledger.MustDate(2021, 10, 18), ledger.MustDate(2021, 10, 20)); len(again) != 0 {
		t.Errorf("escalations repeated: %v", again)
	}
}

func TestNotifyingTwiceTellsOnce(t *testing.T) {
	e := newNotifyEnv(t, map[string]int64{"刘洋": 1003})
	rc := Recipient{PersonID: e.person(t, "刘洋"), TelegramID: 1003}
	now := time.Date(2021, 9, 23, 10, 0, 0, 0, shanghai)
	for range 3 {
		if _, err := e.n.Notify(context.Background(), rc, now); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(e.out.to(1003)); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

func TestDueItemsOfOnePersonAreOneMessage(t *testing.T) {
	e := newNotifyEnv(t, map[string]int64{"周杰": 1001})
	ctx := context.Background()
	// Re-date 周杰's three tasks to one day: their 7-day reminders fall on
	// the same morning.
	for _, code := range []string{"6(3)", "11(2)", "立行立改四"} {
		items, _ := e.store.TaskItemsByCode(ctx, code)
		if _, err := e.store.ChangeDeadline(ctx, items[0].ID, ledger.MustDate(2021, 11, 15), "test", models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	rc := Recipient{PersonID: e.person(t, "周杰"), TelegramID: 1001}
	if _, err := e.n.Notify(ctx, rc, time.Date(2021, 11, 8, 9, 30, 0, 0, shanghai)); err != nil {
		t.Fatal(err)
	}
	msgs := e.out.to(1001)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want one listing every due task", len(msgs))
	}
	m := msgs[0]
	for _, code := range []string{"6(3)", "11(2)", "立行立改四"} {
		if !strings.Contains(m.Text, "<b>"+code+"</b>") {
			t.Errorf("the message lacks %s:\n%s", code, m.Text)
		}
	}
	if len(m.TaskIDs) != 3 || len(m.Keyboard) != 3 {
		t.Errorf("task ids %v, %d button rows: want 3 each (a reply asks which)", m.TaskIDs, len(m.Keyboard))
	}
	if m.Keyboard[0][0].Data == "" || !strings.HasPrefix(m.Keyboard[0][1].Data, "r:") {
		t.Errorf("buttons %+v", m.Keyboard[0])
	}
}

func TestClosureStopsRemindersAndAsksAFollowUpLater(t *testing.T) {
	e := newNotifyEnv(t, map[string]int64{"刘洋": 1003})
	ctx := context.Background()
	items, _ := e.store.TaskItemsByCode(ctx, "4")
	id := items[0].ID
	for _, to := range []ledger.Status{ledger.StatusPendingVerification, ledger.StatusClosed} {
		if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: id, To: to}, models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	rc := Recipient{PersonID: e.person(t, "刘洋"), TelegramID: 1003}
	for day, texts := range e.everyDay(t, rc, ledger.MustDate(2021, 9, 20), ledger.MustDate(2021, 10, 15)) {
		for _, text := range texts {
			if strings.Contains(text, "<b>4</b>") {
				t.Errorf("%s: the closed task 4 was still reminded: %s", day, text)
			}
		}
	}
	// Closed on 2021-09-01 (the clock): the follow-up is due 90 days later,
	// 2021-11-30 (a Tuesday).
	var followUps []outbound.Message
	before := len(e.out.to(1003))
	got := e.everyDay(t, rc, ledger.MustDate(2021, 11, 29), ledger.MustDate(2021, 12, 1))
	for _, m := range e.out.to(1003)[before:] {
		if strings.Contains(m.Text, "回头看") {
			followUps = append(followUps, m)
		}
	}
	if len(followUps) != 1 || !slices.ContainsFunc(got[ledger.MustDate(2021, 11, 30)], func(s string) bool { return strings.Contains(s, "回头看") }) {
		t.Fatalf("follow-ups %d, want one on 2021-11-30: %v", len(followUps), got)
	}
	if kb := followUps[0].Keyboard; len(kb) != 1 || kb[0][0].Data != fmt.Sprintf("fu:%d:yes", id) || kb[0][1].Data != fmt.Sprintf("fu:%d:no", id) {
		t.Errorf("follow-up buttons %+v", kb)
	}
}

func TestAnUnlinkedOfficerWaits(t *testing.T) {
	e := newNotifyEnv(t, nil)
	_, err := e.n.Notify(context.Background(), Recipient{PersonID: e.person(t, "刘洋")}, time.Date(2021, 9, 23, 10, 0, 0, 0, shanghai))
	if err != ErrNotLinked {
		t.Errorf("err = %v, want ErrNotLinked", err)
	}
}
