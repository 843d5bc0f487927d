package models_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

func TestDigestOfTheDongguanLedger(t *testing.T) {
	e := newEnv(t)
	sum := e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	filter := models.DigestFilter{PlanID: sum.PlanID}

	// On the day of the report nothing was late (fixture README).
	d, err := e.store.Digest(ctx, filter, ledger.MustDate(2021, 9, 14), ledger.DefaultLightThresholds)
	if err != nil {
		t.Fatal(err)
	}
	// 已完成 on the five 长期坚持 rows is done at its stage: 17 closed + 5 = 22 done.
	if d.Total != 25 || d.ByStatus[ledger.StatusClosed] != 17 || d.ByStatus[ledger.StatusOngoing] != 5 ||
		d.ByStatus[ledger.StatusInProgress] != 3 || d.Overdue != 0 {
		t.Errorf("digest 2021-09-14: total %d, by status %v, overdue %d", d.Total, d.ByStatus, d.Overdue)
	}
	if len(d.OverdueList) != 0 {
		t.Errorf("overdue list on 2021-09-14: %+v", d.OverdueList)
	}
	if len(d.Departments) != 9 {
		t.Errorf("%d departments in the digest, want 9", len(d.Departments))
	}

	// On 2021-11-01 立行立改四 (due 2021-10-31, in progress) is one day late.
	d, err = e.store.Digest(ctx, filter, ledger.MustDate(2021, 11, 1), ledger.DefaultLightThresholds)
	if err != nil {
		t.Fatal(err)
	}
	if d.Overdue != 1 || len(d.OverdueList) != 1 {
		t.Fatalf("digest 2021-11-01: overdue %d, list %+v", d.Overdue, d.OverdueList)
	}
	late := d.OverdueList[0]
	if late.Code != "立行立改四" || late.Days != 1 || late.Officer != "周杰" || late.Leader != "分管社会治理副书记" ||
		late.Department != "信息化和网格管理指导科" {
		t.Errorf("overdue line: %+v", late)
	}
	// 8(2) is due 2021-11-30: not within 7 days of 2021-11-01, but it is on 2021-11-25.
	if len(d.DueSoon) != 0 {
		t.Errorf("due soon on 2021-11-01: %+v", d.DueSoon)
	}
	d, _ = e.store.Digest(ctx, filter, ledger.MustDate(2021, 11, 25), ledger.DefaultLightThresholds)
	if len(d.DueSoon) != 1 || d.DueSoon[0].Code != "8(2)" || d.DueSoon[0].Days != 5 || d.ByLight[ledger.LightYellow] != 1 {
		t.Errorf("due soon on 2021-11-25: %+v (lights %v)", d.DueSoon, d.ByLight)
	}
}

func TestDigestOfOneDepartment(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	d, err := e.store.Digest(context.Background(), models.DigestFilter{Department: "委机关办公室"}, ledger.MustDate(2021, 9, 14), ledger.DefaultLightThresholds)
	if err != nil {
		t.Fatal(err)
	}
	if d.Total != 8 || len(d.Departments) != 1 || d.Departments[0].Name != "委机关办公室" {
		t.Errorf("department digest: total %d, departments %+v", d.Total, d.Departments)
	}
}

// TestDigestLightMatchesDomain checks that the SQL that counts lights agrees
// with ledger.LightOf on random ledgers and days.
func TestDigestLightMatchesDomain(t *testing.T) {
	e := newEnv(t)
	rows := readFixture(t, "plan.csv")
	rng := rand.New(rand.NewPCG(1, 2))
	statuses := []ledger.Status{ledger.StatusNotStarted, ledger.StatusInProgress, ledger.StatusPendingVerification, ledger.StatusClosed}
	for i := range rows {
		if !rows[i].Deadline.LongTerm {
			rows[i].Status = statuses[rng.IntN(len(statuses))]
		}
	}
	sum, err := e.store.ImportPlan(context.Background(), dongguanSpec, rows, models.CLIActor, false)
	if err != nil {
		t.Fatal(err)
	}
	th := ledger.LightThresholds{YellowWithinDays: 5}
	for day := ledger.MustDate(2021, 5, 1); day.Before(ledger.MustDate(2022, 1, 15)); day = day.AddDays(9) {
		d, err := e.store.Digest(context.Background(), models.DigestFilter{PlanID: sum.PlanID}, day, th)
		if err != nil {
			t.Fatal(err)
		}
		want := map[ledger.Light]int{}
		overdue := 0
		for _, r := range rows {
			st := r.Status
			if st == "" {
				st = ledger.StatusOngoing
			}
			want[ledger.LightOf(st, r.Deadline.Date, day, th)]++
			if ledger.IsOverdue(st, r.Deadline.Date, day) {
				overdue++
			}
		}
		for _, l := range ledger.Lights {
			if d.ByLight[l] != want[l] {
				t.Errorf("%s: %s = %d in SQL, %d in ledger.LightOf", day, l, d.ByLight[l], want[l])
			}
		}
		if d.Overdue != overdue || len(d.OverdueList) != overdue {
			t.Errorf("%s: overdue %d (list %d), want %d", day, d.Overdue, len(d.OverdueList), overdue)
		}
	}
}
