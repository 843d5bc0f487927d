package scheduler

import (
	"fmt"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
)

func TestScratch(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	s := DefaultSettings(nil)
	for _, r := range []string{"monthly", "yearly:04-30"} {
		rec, _ := ledger.ParseRecurrence(r)
		st := TaskState{TaskID: 7, Status: ledger.StatusOngoing, LongTerm: true, Recurrence: rec, Location: sh}
		for _, d := range s.Plan(st, time.Date(2021, 9, 1, 0, 0, 0, 0, sh), time.Date(2024, 1, 1, 0, 0, 0, 0, sh)) {
			fmt.Println(d.UniqueKey(), d.At, d.Offset)
		}
	}
}
