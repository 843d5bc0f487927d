package ledger

import (
	"fmt"
	"strings"
)

// Status is where a task stands. Overdue is not a status: it is derived from
// the deadline and the date (see IsOverdue).
type Status string

const (
	StatusNotStarted          Status = "not_started"          // 未开始
	StatusInProgress          Status = "in_progress"          // 整改中
	StatusPendingVerification Status = "pending_verification" // 待销号: the officer says it is done
	StatusClosed              Status = "closed"               // 已销号: a leader or admin verified it
	StatusOngoing             Status = "ongoing"              // 长期坚持: long-term, checked in periodically
)

// Statuses lists every status in ledger order (the order digests use).
var Statuses = []Status{StatusNotStarted, StatusInProgress, StatusPendingVerification, StatusClosed, StatusOngoing}

var statusChinese = map[Status]string{
	StatusNotStarted:          "未开始",
	StatusInProgress:          "整改中",
	StatusPendingVerification: "待销号",
	StatusClosed:              "已销号",
	StatusOngoing:             "长期坚持",
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool { _, ok := statusChinese[s]; return ok }

// Chinese is the status as the 台账 writes it.
func (s Status) Chinese() string { return statusChinese[s] }

// statusWords maps every word an office writes in the 整改状态 column (and
// the English equivalents) to a status. 已完成 and 完成 are the words of a
// published report; they mean the problem was verified as rectified.
var statusWords = map[string]Status{
	"未开始": StatusNotStarted, "未启动": StatusNotStarted,
	"整改中": StatusInProgress, "正在整改": StatusInProgress, "进行中": StatusInProgress,
	"待销号": StatusPendingVerification, "待验收": StatusPendingVerification,
	"已销号": StatusClosed, "已完成": StatusClosed, "完成": StatusClosed, "已整改": StatusClosed,
	"长期坚持": StatusOngoing, "持续整改": StatusOngoing,
	"not started": StatusNotStarted, "not_started": StatusNotStarted,
	"in progress": StatusInProgress, "in_progress": StatusInProgress,
	"pending verification": StatusPendingVerification, "pending_verification": StatusPendingVerification, "pending": StatusPendingVerification,
	"closed": StatusClosed, "done": StatusClosed, "completed": StatusClosed,
	"ongoing": StatusOngoing, "long-term": StatusOngoing, "long term": StatusOngoing,
}

// StatusWordsExpected is the list shown to a user whose status word was not
// understood.
const StatusWordsExpected = "未开始, 整改中, 待销号, 已销号 (已完成), 长期坚持, 长期坚持（阶段性完成）"

// ParseStatusWord reads a 整改状态 cell. Surrounding spaces and letter case
// are ignored. A word saying a long-term item is done at its stage is not a
// status: read such cells with ParseStatusCell.
func ParseStatusWord(word string) (Status, bool) {
	s, ok := statusWords[strings.ToLower(strings.TrimSpace(word))]
	return s, ok
}

// TransitionError says why a status change is not allowed.
type TransitionError struct {
	From, To Status
	Reason   string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("cannot change status from %s to %s: %s", e.From, e.To, e.Reason)
}
