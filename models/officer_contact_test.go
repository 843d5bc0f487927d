package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

func TestTaskContactsAndLatestProgress(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	task, other := e.task(t, "6(2)"), e.task(t, "8(2)")

	c, err := e.store.TaskContacts(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Code != "6(2)" || c.Department != "基层社会治理科" || c.DepartmentID != task.DepartmentID ||
		c.Officer.Name != "黄敏" || c.Officer.TelegramID != nil || c.Leader.Name != "分管社会治理副书记" {
		t.Errorf("contacts of 6(2): %+v", c)
	}
	if err := e.db.Model(&models.Person{}).Where("id = ?", task.OfficerID).
		Updates(map[string]any{"telegram_user_id": 1002, "lang": "en"}).Error; err != nil {
		t.Fatal(err)
	}
	if c, err = e.store.TaskContacts(ctx, task.ID); err != nil || c.Officer.TelegramID == nil || *c.Officer.TelegramID != 1002 || c.Officer.Lang != "en" {
		t.Errorf("linked officer: %+v (%v)", c.Officer, err)
	}
	if _, err := e.store.TaskContacts(ctx, 99999); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("missing task: %v", err)
	}

	// The newest entry wins (same second: the later id), with its evidence count.
	if _, err := e.store.AddProgress(ctx, models.NewProgress{TaskID: task.ID, Text: "两份文件已印发", Source: models.SourceReply,
		Attachments: []models.Attachment{{Kind: "photo", FileID: "a"}, {Kind: "document", FileID: "b"}}}, officer); err != nil {
		t.Fatal(err)
	}
	latest, err := e.store.LatestProgressOf(ctx, []uint{task.ID, other.ID, e.task(t, "3").ID})
	if err != nil {
		t.Fatal(err)
	}
	if p := latest[task.ID]; p.Text != "两份文件已印发" || p.Attachments != 2 {
		t.Errorf("latest of 6(2): %+v", p)
	}
	if p := latest[other.ID]; p.Text == "" || p.Attachments != 0 {
		t.Errorf("latest of 8(2) (imported): %+v", p)
	}
	if len(latest) != 3 {
		t.Errorf("%d tasks with progress, want 3", len(latest))
	}
	if none, err := e.store.LatestProgressOf(ctx, nil); err != nil || len(none) != 0 {
		t.Errorf("no tasks: %v %v", none, err)
	}
}

func TestStatusChangeFromRefusesAMovedTask(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	task := e.task(t, "6(2)")
	reject := models.StatusChange{TaskID: task.ID, To: ledger.StatusInProgress, Reason: "材料不全"}

	// Not pending: nothing changes, and the task is returned as it is.
	got, err := e.store.ChangeStatus(ctx, pendingOnly(reject), officer)
	if !errors.Is(err, models.ErrConflict) || got.Status != string(ledger.StatusInProgress) {
		t.Fatalf("from pending while in progress: %v, %+v", err, got.Status)
	}
	audits := e.count(t, &models.AuditEvent{}, "task_id = ?", task.ID)
	for _, to := range []ledger.Status{ledger.StatusPendingVerification, ledger.StatusClosed} {
		if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: task.ID, To: to}, officer); err != nil {
			t.Fatal(err)
		}
	}
	// Closed: a late rejection must not reopen it, although closed →
	// in_progress is an allowed move.
	if _, err := e.store.ChangeStatus(ctx, pendingOnly(reject), officer); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("late rejection: %v", err)
	}
	if s := e.task(t, "6(2)").Status; s != string(ledger.StatusClosed) {
		t.Fatalf("status %s after a late rejection", s)
	}
	if n := e.count(t, &models.AuditEvent{}, "task_id = ?", task.ID); n != audits+2 {
		t.Errorf("%d audit events, want %d", n, audits+2)
	}
	if _, err := e.store.ChangeStatus(ctx, models.StatusChange{From: ledger.StatusPendingVerification, TaskID: 99999,
		To: ledger.StatusClosed}, officer); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("missing task: %v", err)
	}

	// Pending: the rejection goes through, with its audit event.
	task2 := e.task(t, "8(2)")
	if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: task2.ID, To: ledger.StatusPendingVerification}, officer); err != nil {
		t.Fatal(err)
	}
	reject.TaskID = task2.ID
	if got, err := e.store.ChangeStatus(ctx, pendingOnly(reject), officer); err != nil || got.Status != string(ledger.StatusInProgress) {
		t.Fatalf("rejection: %v %s", err, got.Status)
	}
	var last models.AuditEvent
	if err := e.db.Where("task_id = ?", task2.ID).Order("id DESC").Take(&last).Error; err != nil || last.Action != "task.status" {
		t.Fatalf("audit: %+v %v", last, err)
	}
}

// pendingOnly makes a change that applies only to a task still waiting for
// verification.
func pendingOnly(ch models.StatusChange) models.StatusChange {
	ch.From = ledger.StatusPendingVerification
	return ch
}
