package ledger

import (
	"errors"
	"testing"
)

func TestParseStatusCellReadsStageDoneWords(t *testing.T) {
	for _, w := range []string{"长期坚持（阶段性完成）", "长期坚持(阶段性完成)", " 已完成（长期坚持） ", "阶段性完成",
		"长期坚持 （ 阶段性完成 ）", "完成(长期坚持)", "Stage done", "done (long-term)"} {
		st, stage, ok := ParseStatusCell(w)
		if !ok || !stage || st != StatusOngoing {
			t.Errorf("ParseStatusCell(%q) = %s, %v, %v; want ongoing, stage done", w, st, stage, ok)
		}
	}
	// The words of before keep their meaning: 已完成 alone is closed.
	for w, want := range map[string]Status{"已完成": StatusClosed, "长期坚持": StatusOngoing, "整改中": StatusInProgress,
		"Not Started": StatusNotStarted, "pending verification": StatusPendingVerification} {
		st, stage, ok := ParseStatusCell(w)
		if !ok || stage || st != want {
			t.Errorf("ParseStatusCell(%q) = %s, %v, %v; want %s", w, st, stage, ok, want)
		}
	}
	if _, _, ok := ParseStatusCell("差不多了"); ok {
		t.Error("an unknown word was read")
	}
}

func TestStatusWordRoundTrips(t *testing.T) {
	if w := StatusWord(StatusOngoing, true); w != "长期坚持（阶段性完成）" {
		t.Errorf("stage done is written %q", w)
	}
	for _, st := range Statuses {
		got, stage, ok := ParseStatusCell(StatusWord(st, false))
		if !ok || stage || got != st {
			t.Errorf("%s does not read back: %s %v %v", st, got, stage, ok)
		}
	}
	if got, stage, ok := ParseStatusCell(StatusWord(StatusOngoing, true)); !ok || !stage || got != StatusOngoing {
		t.Errorf("stage done does not read back: %s %v %v", got, stage, ok)
	}
	// The mark means nothing on a task that is not ongoing.
	if w := StatusWord(StatusClosed, true); w != "已销号" {
		t.Errorf("closed with a stray mark is written %q", w)
	}
}

func TestIsDone(t *testing.T) {
	tests := []struct {
		st    Status
		stage bool
		want  bool
	}{
		{StatusClosed, false, true},
		{StatusOngoing, true, true},
		{StatusOngoing, false, false},
		{StatusInProgress, true, false},
		{StatusPendingVerification, false, false},
		{StatusNotStarted, false, false},
	}
	for _, tt := range tests {
		if got := IsDone(tt.st, tt.stage); got != tt.want {
			t.Errorf("IsDone(%s, %v) = %v", tt.st, tt.stage, got)
		}
	}
}

func TestCheckStageDone(t *testing.T) {
	tests := []struct {
		st       Status
		longTerm bool
		marked   bool
		want     StageRefusal // "" = allowed
	}{
		{StatusOngoing, true, false, ""},
		{StatusOngoing, true, true, StageAlready},
		{StatusClosed, true, false, StageClosed},
		{StatusClosed, false, false, StageClosed},
		{StatusInProgress, false, false, StageNotLongTerm},
		{StatusInProgress, true, false, StageNotOngoing},
		{StatusPendingVerification, true, false, StageNotOngoing},
	}
	for _, tt := range tests {
		err := CheckStageDone(tt.st, tt.longTerm, tt.marked)
		var se *StageDoneError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckStageDone(%s, %v, %v) = %v, want allowed", tt.st, tt.longTerm, tt.marked, err)
		case tt.want != "" && (!errors.As(err, &se) || se.Reason != tt.want):
			t.Errorf("CheckStageDone(%s, %v, %v) = %v, want %s", tt.st, tt.longTerm, tt.marked, err, tt.want)
		}
	}
}

func TestDigestDoneCountsStageDone(t *testing.T) {
	d := Digest{Total: 25, ByStatus: map[Status]int{StatusClosed: 17, StatusOngoing: 5, StatusInProgress: 3}, StageDone: 5}
	if d.Done() != 22 {
		t.Errorf("done %d, want 22 (17 closed + 5 stage done)", d.Done())
	}
	dep := DepartmentSummary{ByStatus: map[Status]int{StatusOngoing: 2}, StageDone: 1}
	if dep.Done() != 1 {
		t.Errorf("department done %d, want 1", dep.Done())
	}
}
