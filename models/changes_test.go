package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

func TestChangesSinceADay(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv") // imported "now": 2021-09-14 10:00
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	e.clock.Set(time.Date(2021, 10, 20, 10, 0, 0, 0, loc))
	// In the period: 8(2) reported twice, 6(2)'s deadline moved, 立行立改四
	// closed (after a closure request).
	for _, text := range []string{"新补充入库档案20份", "出国(境)制度已印发"} {
		if _, err := e.store.AddProgress(ctx, models.NewProgress{TaskID: e.task(t, "8(2)").ID, Text: text, Source: models.SourceReply}, officer); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.store.ChangeDeadline(ctx, e.task(t, "6(2)").ID, ledger.MustDate(2022, 3, 31), "配套文件征求意见", officer); err != nil {
		t.Fatal(err)
	}
	for _, to := range []ledger.Status{ledger.StatusPendingVerification, ledger.StatusClosed} {
		if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: e.task(t, "立行立改四").ID, To: to}, officer); err != nil {
			t.Fatal(err)
		}
	}
	ch, err := e.store.Changes(ctx, models.DigestFilter{}, ledger.MustDate(2021, 10, 1), ledger.MustDate(2021, 11, 1), loc)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.NewlyClosed) != 1 || ch.NewlyClosed[0].Code != "立行立改四" {
		t.Errorf("newly closed: %+v", ch.NewlyClosed)
	}
	if len(ch.NewProgress) != 1 || ch.NewProgress[0].Code != "8(2)" || ch.NewProgress[0].Reports != 2 {
		t.Errorf("new progress (imports excluded): %+v", ch.NewProgress)
	}
	if len(ch.DeadlineChanges) != 1 || ch.DeadlineChanges[0].Old.String() != "2021-12-31" || ch.DeadlineChanges[0].New.String() != "2022-03-31" ||
		ch.DeadlineChanges[0].Reason != "配套文件征求意见" {
		t.Errorf("deadline changes: %+v", ch.DeadlineChanges)
	}
	// Nothing open fell due in October (立行立改四, due 10-31, was closed).
	if len(ch.NewlyOverdue) != 0 {
		t.Errorf("newly overdue: %+v", ch.NewlyOverdue)
	}
	// The state of the ledger: 22 imported closures were done when the
	// period began (立行立改四 was not); open at its end are the dated
	// tasks 6(2) and 8(2), each with its latest report, 6(2) with why (its
	// new deadline's reason), and the next step (the first measure).
	if ch.DoneAtSince != 22 || ch.AsOf != ledger.MustDate(2021, 11, 1) {
		t.Errorf("done at the start %d (want 22), period ends %s", ch.DoneAtSince, ch.AsOf)
	}
	if ch.NewProgress[0].Latest != "出国(境)制度已印发" {
		t.Errorf("8(2)'s latest report in the period: %q", ch.NewProgress[0].Latest)
	}
	var open []string
	for _, o := range ch.Open {
		open = append(open, o.Code)
		if o.Latest == "" || o.NextStep == "" {
			t.Errorf("%s open without its latest report or next step: %+v", o.Code, o)
		}
	}
	if len(ch.Open) != 2 || ch.Open[0].Code != "6(2)" || ch.Open[1].Code != "8(2)" {
		t.Fatalf("open at the end: %v, want 6(2) 8(2) in ledger order (long-term tasks apart)", open)
	}
	if ch.Open[0].Reason != "配套文件征求意见" || ch.Open[1].Reason != "" || ch.Open[1].Latest != "出国(境)制度已印发" {
		t.Errorf("open tasks' reasons and reports: %+v", ch.Open)
	}
	// Even over a period taking in the import day, the imported closures
	// are not new: the ledger does not say when they were closed.
	all, _ := e.store.Changes(ctx, models.DigestFilter{}, ledger.MustDate(2021, 9, 1), ledger.MustDate(2021, 11, 1), loc)
	if len(all.NewlyClosed) != 1 || all.NewlyClosed[0].Code != "立行立改四" {
		t.Errorf("closed since 09-01: %+v, want 立行立改四 only (the 22 imported closures are not new)", all.NewlyClosed)
	}
}
