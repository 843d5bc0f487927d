package ledger

import (
	"fmt"
	"strings"
)

// A long-term (长期坚持) task is never closed: it stays ongoing and gets
// periodic check-ins. Its leader may still mark its stage goals met
// (阶段性完成): published reports count such an item as done (已完成) while
// its check-ins go on. Stage done is a mark on an ongoing task, not a
// status, so the status machine and the check-ins are untouched by it.

// StageDoneWord is how the 台账 writes an ongoing task whose stage goals are
// met; the importer reads it back (ParseStatusCell).
const StageDoneWord = "长期坚持（阶段性完成）"

// stageDoneWords are the 整改状态 words that say a long-term item is done at
// its stage, folded by foldStatusWord. Plain 已完成 stays closed (its
// meaning before); these name the long-term nature explicitly.
var stageDoneWords = foldedSet(
	"阶段性完成", "已阶段性完成", "阶段性已完成",
	"长期坚持(阶段性完成)", "长期坚持(已完成)", "长期坚持(完成)", "长期坚持(阶段性已完成)",
	"已完成(长期坚持)", "完成(长期坚持)", "阶段性完成(长期坚持)",
	"stage done", "stage_done", "ongoing (stage done)", "done (long-term)", "done (long term)",
)

func foldedSet(words ...string) map[string]bool {
	out := make(map[string]bool, len(words))
	for _, w := range words {
		out[foldStatusWord(w)] = true
	}
	return out
}

// foldStatusWord folds the ways one 整改状态 word gets written: case,
// surrounding and repeated spaces, full-width parentheses and the spaces
// next to any parenthesis.
func foldStatusWord(word string) string {
	w := strings.ToLower(word)
	w = strings.NewReplacer("（", "(", "）", ")").Replace(w)
	w = strings.Join(strings.Fields(w), " ") // the ideographic space is a space too
	for _, sp := range []string{" (", "( ", " )"} {
		w = strings.ReplaceAll(w, sp, strings.TrimSpace(sp))
	}
	return w
}

// ParseStatusCell reads a 整改状态 cell: the status, and whether it says a
// long-term item is done at its stage (then the status is ongoing). The
// caller checks that a stage-done row is long-term.
func ParseStatusCell(word string) (st Status, stageDone, ok bool) {
	if stageDoneWords[foldStatusWord(word)] {
		return StatusOngoing, true, true
	}
	st, ok = ParseStatusWord(word)
	return st, false, ok
}

// StatusWord is the 台账's word for a task: its status in Chinese, or
// StageDoneWord for an ongoing task whose stage goals are met.
func StatusWord(st Status, stageDone bool) string {
	if st == StatusOngoing && stageDone {
		return StageDoneWord
	}
	return st.Chinese()
}

// IsDone reports whether a task counts as done (已完成) in digests and
// reports: closed, or ongoing with its stage goals met.
func IsDone(st Status, stageDone bool) bool {
	return st == StatusClosed || (st == StatusOngoing && stageDone)
}

// StageDoneError says why a task cannot be marked stage done.
type StageDoneError struct {
	Reason StageRefusal
}

// StageRefusal is why a stage-done mark is refused, for the bot to say so.
type StageRefusal string

const (
	StageNotLongTerm StageRefusal = "not_long_term" // a dated task is closed, never stage done
	StageClosed      StageRefusal = "closed"        // closed (imported so): nothing left to mark
	StageNotOngoing  StageRefusal = "not_ongoing"   // long-term but in another status
	StageAlready     StageRefusal = "already"       // marked before
)

func (e *StageDoneError) Error() string {
	return fmt.Sprintf("cannot mark the stage done: %s", e.Reason)
}

// CheckStageDone reports whether a task may be marked stage done now: it
// must be long-term, ongoing, and not marked already. Callers check it at
// the moment of the change, against the task as stored.
func CheckStageDone(st Status, longTerm, stageDone bool) error {
	switch {
	case st == StatusClosed:
		return &StageDoneError{Reason: StageClosed}
	case !longTerm:
		return &StageDoneError{Reason: StageNotLongTerm}
	case st != StatusOngoing:
		return &StageDoneError{Reason: StageNotOngoing}
	case stageDone:
		return &StageDoneError{Reason: StageAlready}
	}
	return nil
}
