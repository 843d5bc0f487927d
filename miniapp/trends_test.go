package miniapp_test

import (
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

type trends struct {
	Weeks []struct {
		Week   string `json:"week"`
		Due    int    `json:"due"`
		Closed int    `json:"closed"`
	} `json:"weeks"`
	Burndown []struct {
		Date  string  `json:"date"`
		Open  *int    `json:"open"`
		Ideal float64 `json:"ideal"`
	} `json:"burndown"`
	PlanEnd *string `json:"plan_end"`
}

// The Dongguan plan week by week: feedback on Sunday 2021-04-25 (the week
// of Monday 04-19) to the last deadline, 2021-12-31 (the week of 12-27):
// 37 weeks. The ledger was imported on 09-14 with 22 tasks done, so the
// burn-down drops from 25 to 3 in the week after.
func TestTrends(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()
	// 立行立改四 is closed today (a 销号 in the week of 11-22).
	task := h.taskID("立行立改四")
	for _, s := range []struct {
		who int64
		to  ledger.Status
	}{{zhouJieID, ledger.StatusPendingVerification}, {socialLeadID, ledger.StatusClosed}} {
		if _, err := h.store.ChangeStatus(h.ctx, models.StatusChange{TaskID: task, To: s.to}, h.as(s.who)); err != nil {
			t.Fatal(err)
		}
	}

	tr := getJSON[trends](h, unitAdminID, "trends")
	if deref2(tr.PlanEnd) != "2021-12-31" || len(tr.Weeks) != 37 || len(tr.Burndown) != 37 {
		t.Fatalf("plan end %v, %d weeks, %d burn-down points", deref2(tr.PlanEnd), len(tr.Weeks), len(tr.Burndown))
	}
	due, closed := 0, 0
	week := map[string][2]int{}
	for _, w := range tr.Weeks {
		due += w.Due
		closed += w.Closed
		week[w.Week] = [2]int{w.Due, w.Closed}
	}
	// 20 dated tasks; 1 and 6(2) due on 12-31; 立行立改四 (10-31) and 8(1)
	// in the week of 10-25; only today's 销号 has a day.
	if due != 20 || closed != 1 || week["2021-04-19"] != [2]int{0, 0} || week["2021-12-27"] != [2]int{2, 0} ||
		week["2021-10-25"] != [2]int{2, 0} || week["2021-11-22"] != [2]int{0, 1} {
		t.Errorf("weeks: %d due, %d closed; %v", due, closed, tr.Weeks)
	}
	open := map[string]*int{}
	ideal := map[string]float64{}
	for _, b := range tr.Burndown {
		open[b.Date], ideal[b.Date] = b.Open, b.Ideal
	}
	for _, c := range []struct {
		date string
		open int
	}{{"2021-04-19", 25}, {"2021-09-13", 25}, {"2021-09-20", 3}, {"2021-11-22", 3}} {
		if o := open[c.date]; o == nil || *o != c.open {
			t.Errorf("open on %s: %v, want %d", c.date, o, c.open)
		}
	}
	// Not known yet after today; the ideal line reaches 0 at the end.
	if open["2021-11-29"] != nil || ideal["2021-04-19"] != 25 || ideal["2021-12-27"] != 0.4 || ideal["2021-08-23"] != 12.7 {
		t.Errorf("after today: %v; ideal at the start %v, 08-23 %v, end %v",
			open["2021-11-29"], ideal["2021-04-19"], ideal["2021-08-23"], ideal["2021-12-27"])
	}

	// 政治部主任's tasks: 2 (06-30), 4 (09-30), 8(1) (10-31), 8(2) (11-30).
	tr = getJSON[trends](h, politLeadID, "trends")
	due = 0
	for _, w := range tr.Weeks {
		due += w.Due
	}
	if deref2(tr.PlanEnd) != "2021-11-30" || due != 4 || tr.Weeks[len(tr.Weeks)-1].Week != "2021-11-29" {
		t.Errorf("政治部主任: plan end %v, %d due, last week %+v", deref2(tr.PlanEnd), due, tr.Weeks[len(tr.Weeks)-1])
	}
}
