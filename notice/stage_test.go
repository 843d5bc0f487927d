package notice_test

import (
	"context"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// TestStageDoneCountsAsDoneInTheNotice: a long-term item its leader marked
// 阶段性完成 is among the 已完成 of the counts sentence and not among the
// problems still being rectified; one not marked is still being worked on.
func TestStageDoneCountsAsDoneInTheNotice(t *testing.T) {
	l := importRows(t, readRows(t, "plan.csv"))
	r := l.report(reportDay, "")
	if r.Done != 0 || r.Open != 25 {
		t.Fatalf("from the plan: %d/%d, want 0/25", r.Done, r.Open)
	}
	if _, err := l.store.MarkStageDone(context.Background(), l.taskID("9(2)"), models.CLIActor); err != nil {
		t.Fatal(err)
	}
	r = l.report(reportDay, "")
	if r.Done != 1 || r.Open != 24 || r.CountsSentence() != "目前，已完成问题整改1个；正在整改的问题24个。" {
		t.Errorf("after marking 9(2): %q", r.CountsSentence())
	}
	unfinished := map[string]bool{}
	for _, u := range r.Unfinished {
		unfinished[u.Code] = true
	}
	if unfinished["9(2)"] || !unfinished["10"] || len(r.Unfinished) != 24 {
		t.Errorf("still being rectified: %v", unfinished)
	}
}

// TestTheSeedsCountsFromStageDoneWords: the ledger whose five long-term
// items are written 长期坚持（阶段性完成） gives the seed's 22/3 with those
// items ongoing (their check-ins go on), where the ledger as published
// (已完成) gives it by closing them.
func TestTheSeedsCountsFromStageDoneWords(t *testing.T) {
	rows := readRows(t, "ledger.csv")
	for i := range rows {
		if rows[i].Deadline.LongTerm {
			rows[i].Status, rows[i].StageDone = ledger.StatusOngoing, true
		}
	}
	r := importRows(t, rows).report(reportDay, "")
	if r.CountsSentence() != "目前，已完成问题整改22个；正在整改的问题3个。" {
		t.Errorf("counts: %q", r.CountsSentence())
	}
	if len(r.Unfinished) != 3 {
		t.Errorf("%d unfinished, want the 3 in progress: %+v", len(r.Unfinished), r.Unfinished)
	}
}
