package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

var officer = models.Actor{Label: "telegram:1001"}

func TestTaskLifeThroughTheStatusMachine(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "plan.csv")
	ctx := context.Background()
	task := e.task(t, "5")

	// A first progress report starts the task.
	entry, err := e.store.AddProgress(ctx, models.NewProgress{TaskID: task.ID, Text: "已召开专题会议", Source: models.SourceReply,
		Attachments: []models.Attachment{{Kind: "photo", FileID: "AgAD1", FileUniqueID: "u1", FileName: "会议.jpg", MIMEType: "image/jpeg", Size: 12345}}}, officer)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.task(t, "5").Status; got != string(ledger.StatusInProgress) {
		t.Errorf("status after first progress: %s, want in_progress", got)
	}
	if n := e.count(t, &models.Attachment{}, "progress_entry_id = ?", entry.ID); n != 1 {
		t.Errorf("%d attachments stored, want 1", n)
	}

	// Closing without verification is refused with a reason.
	_, err = e.store.ChangeStatus(ctx, models.StatusChange{TaskID: task.ID, To: ledger.StatusClosed}, officer)
	var te *ledger.TransitionError
	if !errors.As(err, &te) {
		t.Fatalf("in_progress → closed: %v, want a TransitionError", err)
	}

	mustChange := func(to ledger.Status, reason string) {
		t.Helper()
		if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: task.ID, To: to, Reason: reason}, officer); err != nil {
			t.Fatalf("→ %s: %v", to, err)
		}
	}
	mustChange(ledger.StatusPendingVerification, "")
	// A rejection needs a reason.
	if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: task.ID, To: ledger.StatusInProgress}, officer); !errors.Is(err, models.ErrReasonRequired) {
		t.Errorf("rejection without reason: %v", err)
	}
	mustChange(ledger.StatusInProgress, "证明材料不全")
	mustChange(ledger.StatusPendingVerification, "")
	mustChange(ledger.StatusClosed, "")
	if closed := e.task(t, "5"); closed.ClosedAt == nil {
		t.Error("closed task has no closed_at")
	}
	if n := e.count(t, &models.Measure{}, "task_id = ? AND done = ?", task.ID, false); n != 0 {
		t.Errorf("%d measures of a closed task are not done", n)
	}
	mustChange(ledger.StatusInProgress, "回头看:问题反弹")
	if reopened := e.task(t, "5"); reopened.ClosedAt != nil {
		t.Error("reopened task still has closed_at")
	}

	// Every change left an audit event, in order.
	var actions []string
	e.db.Model(&models.AuditEvent{}).Where("task_id = ?", task.ID).Order("id").Pluck("action", &actions)
	want := []string{"task.progress", "task.status", "task.status", "task.status", "task.status", "task.status", "task.status"}
	if len(actions) != len(want) {
		t.Errorf("audit trail %v, want %v", actions, want)
	}
	var last models.AuditEvent
	e.db.Where("task_id = ?", task.ID).Order("id DESC").Take(&last)
	if last.Before != `{"status":"closed"}` || last.After != `{"reason":"回头看:问题反弹","status":"in_progress"}` || last.Actor != "telegram:1001" {
		t.Errorf("last audit event: %+v", last)
	}
}

func TestStatusChangeIsACompareAndSet(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	task := e.task(t, "8(2)") // in progress
	if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: task.ID, To: ledger.StatusPendingVerification}, officer); err != nil {
		t.Fatal(err)
	}
	// A second request for closure, made from the same stale view, is refused.
	_, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: task.ID, To: ledger.StatusPendingVerification}, officer)
	if err == nil {
		t.Fatal("the same transition twice succeeded")
	}
	if n := e.count(t, &models.AuditEvent{}, "task_id = ? AND action = ?", task.ID, "task.status"); n != 1 {
		t.Errorf("%d status audit events, want 1", n)
	}
}

func TestDeadlineChangeKeepsTheOriginalAndTheReason(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	task := e.task(t, "立行立改四")
	if _, err := e.store.ChangeDeadline(ctx, task.ID, ledger.MustDate(2021, 12, 31), "  ", officer); !errors.Is(err, models.ErrReasonRequired) {
		t.Errorf("deadline change without a reason: %v", err)
	}
	if _, err := e.store.ChangeDeadline(ctx, task.ID, ledger.MustDate(2021, 12, 31), "出版社排期推迟", officer); err != nil {
		t.Fatal(err)
	}
	got := e.task(t, "立行立改四")
	if got.Deadline.String() != "2021-12-31" || got.OriginalDeadline.String() != "2021-10-31" {
		t.Errorf("deadline %s, original %s", got.Deadline, got.OriginalDeadline)
	}
	var ch models.DeadlineChange
	if err := e.db.Where("task_id = ?", task.ID).Take(&ch).Error; err != nil {
		t.Fatal(err)
	}
	if ch.OldDeadline.String() != "2021-10-31" || ch.NewDeadline.String() != "2021-12-31" || ch.Reason != "出版社排期推迟" {
		t.Errorf("deadline change record: %+v", ch)
	}
	// Long-term and closed tasks have no deadline to move.
	if _, err := e.store.ChangeDeadline(ctx, e.task(t, "10").ID, ledger.MustDate(2022, 1, 1), "x", officer); err == nil {
		t.Error("moved the deadline of a long-term task")
	}
	if _, err := e.store.ChangeDeadline(ctx, e.task(t, "1").ID, ledger.MustDate(2022, 1, 1), "x", officer); err == nil {
		t.Error("moved the deadline of a closed task")
	}
}

func TestFailedChangeLeavesNoAuditEvent(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	before := e.count(t, &models.AuditEvent{})
	_, err := e.store.ChangeStatus(context.Background(), models.StatusChange{TaskID: 999999, To: ledger.StatusClosed}, officer)
	if !errors.Is(err, models.ErrNotFound) {
		t.Errorf("unknown task: %v", err)
	}
	if _, err := e.store.AddProgress(context.Background(), models.NewProgress{TaskID: e.task(t, "1").ID, Text: "  "}, officer); err == nil {
		t.Error("empty progress accepted")
	}
	if after := e.count(t, &models.AuditEvent{}); after != before {
		t.Errorf("audit events %d → %d after failed changes", before, after)
	}
}

func TestInvites(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()

	code, inv, err := e.store.CreateInvite(ctx, models.PersonRef{Name: "周杰"}, ledger.RoleOfficer, 72*time.Hour, models.CLIActor)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) < 20 || inv.CodeHash == code || e.count(t, &models.Invite{}, "code_hash = ?", code) != 0 {
		t.Errorf("the code must be long and stored only hashed (code %q, hash %q)", code, inv.CodeHash)
	}
	if _, err := e.store.RedeemInvite(ctx, "not-a-code", 42); !errors.Is(err, models.ErrInviteUnknown) {
		t.Errorf("unknown code: %v", err)
	}
	p, err := e.store.RedeemInvite(ctx, code, 42)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "周杰" || p.TelegramUserID == nil || *p.TelegramUserID != 42 || p.LinkedAt == nil {
		t.Errorf("linked person: %+v", p)
	}
	if _, err := e.store.RedeemInvite(ctx, code, 43); !errors.Is(err, models.ErrInviteUsed) {
		t.Errorf("second use: %v", err)
	}

	// Expired: the clock moves past the validity.
	code2, _, err := e.store.CreateInvite(ctx, models.PersonRef{Name: "黄敏"}, ledger.RoleOfficer, time.Hour, models.CLIActor)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	if _, err := e.store.RedeemInvite(ctx, code2, 44); !errors.Is(err, models.ErrInviteExpired) {
		t.Errorf("expired code: %v", err)
	}
	// One Telegram account cannot become two people.
	code3, _, _ := e.store.CreateInvite(ctx, models.PersonRef{Name: "黄敏"}, ledger.RoleOfficer, time.Hour, models.CLIActor)
	if _, err := e.store.RedeemInvite(ctx, code3, 42); !errors.Is(err, models.ErrAccountLinked) {
		t.Errorf("account already linked to 周杰: %v", err)
	}
	if _, _, err := e.store.CreateInvite(ctx, models.PersonRef{Name: "无名氏"}, ledger.RoleOfficer, time.Hour, models.CLIActor); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("invite for an unknown person: %v", err)
	}
	if n := e.count(t, &models.AuditEvent{}, "action = ?", "person.linked"); n != 1 {
		t.Errorf("%d person.linked events, want 1", n)
	}
}

func TestPeopleListsRolesDepartmentsAndLinks(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	if _, err := e.store.AddPerson(ctx, models.NewPerson{Name: "督办办主任", Role: ledger.RoleAdmin}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.AddPerson(ctx, models.NewPerson{Name: "督办办主任", Role: ledger.RoleAdmin}, models.CLIActor); !errors.Is(err, models.ErrPersonExists) {
		t.Errorf("duplicate person: %v", err)
	}
	people, err := e.store.People(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 15 {
		t.Fatalf("%d people, want 15", len(people))
	}
	byName := map[string]models.PersonInfo{}
	for _, p := range people {
		byName[p.Name] = p
	}
	if p := byName["书记"]; len(p.Leads) != 2 || p.Roles[0] != "leader" {
		t.Errorf("书记: %+v", p)
	}
	if p := byName["张伟"]; p.Department != "委机关办公室" || p.TelegramLinked {
		t.Errorf("张伟: %+v", p)
	}
	if p := byName["督办办主任"]; p.Roles[0] != "admin" {
		t.Errorf("admin: %+v", p)
	}
}
