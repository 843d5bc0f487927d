package models_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/render"
)

// TestImportedClosuresAreNeverNewInACompilation: the 22 closures of the
// imported ledger have no closed_at (the ledger does not say when), so the
// first half-monthly compilation lists no new closure; a task closed through
// the bot afterwards is the one the next compilation lists.
func TestImportedClosuresAreNeverNewInACompilation(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv") // imported 2021-09-14 10:00
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	if n := e.count(t, &models.Task{}, "status = ? AND closed_at IS NOT NULL", "closed"); n != 0 {
		t.Errorf("%d imported closures carry a closed_at", n)
	}
	if n := e.count(t, &models.Task{}, "status = ?", "closed"); n != 17 {
		t.Fatalf("%d closed tasks imported, want 17 (and 5 long-term done at their stage)", n)
	}
	compile := func(since, asOf ledger.Date) ledger.DigestChanges {
		t.Helper()
		ch, err := e.store.Changes(ctx, models.DigestFilter{}, since, asOf, loc)
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	first := compile(ledger.MustDate(2021, 9, 1), ledger.MustDate(2021, 9, 16))
	if len(first.NewlyClosed) != 0 {
		t.Errorf("the first compilation lists %d new closures: %+v", len(first.NewlyClosed), first.NewlyClosed)
	}
	d := ledger.Digest{AsOf: ledger.MustDate(2021, 9, 16), ByStatus: map[ledger.Status]int{}, ByLight: map[ledger.Light]int{}, Changes: &first}
	if text := render.Digest(d, render.LangZh, render.FormatPlain); !strings.Contains(text, "新销号 0 项") {
		t.Errorf("the first compilation reads:\n%s", text)
	}

	e.clock.Set(time.Date(2021, 9, 20, 15, 0, 0, 0, loc))
	for _, to := range []ledger.Status{ledger.StatusPendingVerification, ledger.StatusClosed} {
		if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: e.task(t, "立行立改四").ID, To: to}, models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	next := compile(ledger.MustDate(2021, 9, 16), ledger.MustDate(2021, 10, 1))
	if len(next.NewlyClosed) != 1 || next.NewlyClosed[0].Code != "立行立改四" {
		t.Errorf("the next compilation's new closures: %+v, want 立行立改四 alone", next.NewlyClosed)
	}
	d.Changes = &next
	if text := render.Digest(d, render.LangZh, render.FormatPlain); !strings.Contains(text, "新销号 1 项") || !strings.Contains(text, "立行立改四") {
		t.Errorf("the next compilation reads:\n%s", text)
	}
	// The imported closures plan no 回头看: there is no closure day to count from.
	due, err := e.store.DueTasks(ctx, models.DueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, dt := range due {
		if dt.Status == ledger.StatusClosed && (dt.ClosedAt == nil) != (dt.Code != "立行立改四") {
			t.Errorf("task %s: closed_at %v", dt.Code, dt.ClosedAt)
		}
	}
}

// TestTheLeaderMarksALongTermTaskDoneAtItsStage: from the plan (long-term
// tasks ongoing), 9(2) is marked 阶段性完成 — it stays ongoing and
// long-term, the mark is audited with who made it, and the digest counts it
// as done. A second mark, a dated task and a closed one are refused.
func TestTheLeaderMarksALongTermTaskDoneAtItsStage(t *testing.T) {
	e := newEnv(t)
	sum := e.importFixture(t, "plan.csv")
	ctx := context.Background()
	leader := e.personID(t, 42)
	id := e.task(t, "9(2)").ID
	e.clock.Set(time.Date(2021, 10, 8, 16, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	task, err := e.store.MarkStageDone(ctx, id, leader)
	if err != nil {
		t.Fatal(err)
	}
	stored := e.task(t, "9(2)")
	if stored.StageDoneAt == nil || !stored.StageDoneAt.Equal(e.clock.Now()) || task.StageDoneAt == nil {
		t.Errorf("stage_done_at %v, want %v", stored.StageDoneAt, e.clock.Now())
	}
	if stored.Status != string(ledger.StatusOngoing) || !stored.LongTerm || stored.ClosedAt != nil {
		t.Errorf("after the mark: status %s, long-term %v, closed_at %v", stored.Status, stored.LongTerm, stored.ClosedAt)
	}
	var ev models.AuditEvent
	if err := e.db.Where("action = ? AND task_id = ?", "task.stage_done", id).Take(&ev).Error; err != nil {
		t.Fatalf("no audit event: %v", err)
	}
	if ev.ActorID == nil || *ev.ActorID != 42 || ev.After != `{"stage_done":true,"status":"ongoing"}` {
		t.Errorf("audit event: actor %v, after %s", ev.ActorID, ev.After)
	}

	d, err := e.store.Digest(ctx, models.DigestFilter{PlanID: sum.PlanID}, ledger.MustDate(2021, 10, 8), ledger.DefaultLightThresholds)
	if err != nil {
		t.Fatal(err)
	}
	if d.StageDone != 1 || d.Done() != 1 || d.ByStatus[ledger.StatusOngoing] != 5 {
		t.Errorf("digest: stage done %d, done %d, ongoing %d", d.StageDone, d.Done(), d.ByStatus[ledger.StatusOngoing])
	}
	for _, dep := range d.Departments {
		if want := map[bool]int{true: 1}[dep.Name == "基层社会治理科"]; dep.StageDone != want {
			t.Errorf("%s: stage done %d, want %d", dep.Name, dep.StageDone, want)
		}
	}
	card, err := e.store.Card(ctx, id)
	if err != nil || card.StageDoneAt == nil {
		t.Errorf("the card does not know the mark: %v %v", card.StageDoneAt, err)
	}
	rows, err := e.store.LedgerRows(ctx, sum.PlanID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.StageDone != (r.ProblemCode == "9(2)") {
			t.Errorf("ledger row %s: stage done %v", r.ProblemCode, r.StageDone)
		}
	}

	refused := func(code string, want ledger.StageRefusal) {
		t.Helper()
		_, err := e.store.MarkStageDone(ctx, e.task(t, code).ID, leader)
		if se, ok := errors.AsType[*ledger.StageDoneError](err); !ok || se.Reason != want {
			t.Errorf("marking %s: %v, want %s", code, err, want)
		}
	}
	refused("9(2)", ledger.StageAlready)
	refused("4", ledger.StageNotLongTerm)
	var n int64
	e.db.Model(&models.AuditEvent{}).Where("action = ?", "task.stage_done").Count(&n)
	if n != 1 {
		t.Errorf("%d stage-done audit events, want 1", n)
	}
}

// stageDoneLedger is ledger.csv with the 整改状态 of its five long-term
// rows written as a report writes a long-term item done at its stage.
func stageDoneLedger(t *testing.T, word string) []byte {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "ledger.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		if r[9] == "长期坚持" {
			r[10] = word
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportReadsStageDoneWords: 长期坚持（阶段性完成） (and its variants) on a
// long-term row imports as ongoing and done at its stage, so the ledger
// counts 22 done and 3 being worked on with its long-term items still
// checked in on; on a dated row it is a conflict.
func TestImportReadsStageDoneWords(t *testing.T) {
	for _, word := range []string{"长期坚持（阶段性完成）", "已完成（长期坚持）", "阶段性完成"} {
		t.Run(word, func(t *testing.T) {
			e := newEnv(t)
			res, err := importer.Read(bytes.NewReader(stageDoneLedger(t, word)), "ledger.csv", importer.Options{PlanYear: 2021})
			if err != nil {
				t.Fatal(err)
			}
			sum, err := e.store.ImportPlan(context.Background(), dongguanSpec, res.Rows, models.CLIActor, false)
			if err != nil {
				t.Fatal(err)
			}
			if sum.StageDone != 5 || sum.ByStatus[ledger.StatusOngoing] != 5 || sum.ByStatus[ledger.StatusClosed] != 17 {
				t.Errorf("summary: stage done %d, by status %v", sum.StageDone, sum.ByStatus)
			}
			if n := e.count(t, &models.Task{}, "long_term = ? AND status = ? AND stage_done_at IS NOT NULL", true, "ongoing"); n != 5 {
				t.Errorf("%d long-term tasks ongoing and stage done, want 5", n)
			}
			d, err := e.store.Digest(context.Background(), models.DigestFilter{}, ledger.MustDate(2021, 9, 14), ledger.DefaultLightThresholds)
			if err != nil {
				t.Fatal(err)
			}
			if d.Done() != 22 || d.Total-d.Done() != 3 {
				t.Errorf("done %d of %d, want 22 of 25", d.Done(), d.Total)
			}
		})
	}
	rows := readFixture(t, "plan.csv")
	rows[0].Status, rows[0].StageDone = ledger.StatusOngoing, true // 1 is dated 2021-12-31
	_, err := newEnv(t).store.ImportPlan(context.Background(), dongguanSpec, rows, models.CLIActor, true)
	if ce, ok := errors.AsType[*models.ImportConflictError](err); !ok || len(ce.Conflicts) != 1 || ce.Conflicts[0].Column != "整改状态" {
		t.Errorf("阶段性完成 on a dated row: %v", err)
	}
}
