package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

func TestImportLedgerHasTheDongguanCounts(t *testing.T) {
	e := newEnv(t)
	sum := e.importFixture(t, "ledger.csv")

	checks := []struct {
		what string
		got  int64
		want int64
	}{
		{"tasks", e.count(t, &models.Task{}), 25},
		{"top-level problems", e.count(t, &models.Problem{}), 17},
		{"numbered problems", e.count(t, &models.Problem{}, "number NOT LIKE ?", "立行立改%"), 11},
		{"categories", e.count(t, &models.Category{}), 5},
		{"departments", e.count(t, &models.Department{}), 9},
		{"officers", e.count(t, &models.PersonRole{}, "role = ?", "officer"), 9},
		{"leaders", e.count(t, &models.PersonRole{}, "role = ?", "leader"), 5},
		{"long-term tasks", e.count(t, &models.Task{}, "long_term = ?", true), 5},
		// A long-term task is never closed: 已完成 on its row is 阶段性完成.
		{"closed", e.count(t, &models.Task{}, "status = ?", "closed"), 17},
		{"long-term done at their stage", e.count(t, &models.Task{}, "status = ? AND stage_done_at IS NOT NULL", "ongoing"), 5},
		{"in progress", e.count(t, &models.Task{}, "status = ?", "in_progress"), 3},
		{"measures", e.count(t, &models.Measure{}), 74},
		{"imported progress entries", e.count(t, &models.ProgressEntry{}, "source = ?", "import"), 25},
		{"sub-problem tasks", e.count(t, &models.Task{}, "code LIKE ?", "%(%"), 13},
		{"tasks with 具体问题", e.count(t, &models.Task{}, "detail <> ''"), 15},
		{"import audit events", e.count(t, &models.AuditEvent{}, "action = ?", "plan.imported"), 1},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	if sum.Tasks != 25 || sum.Problems != 17 || sum.Categories != 5 || sum.Departments != 9 || sum.Leaders != 5 ||
		sum.Officers != 9 || sum.LongTerm != 5 || sum.ByStatus[ledger.StatusClosed] != 17 || sum.StageDone != 5 || sum.ByStatus[ledger.StatusInProgress] != 3 {
		t.Errorf("summary: %+v", sum)
	}

	// The three unfinished tasks are the ones the README names.
	var open []string
	e.db.Model(&models.Task{}).Where("status <> ? AND stage_done_at IS NULL", "closed").Order("seq").Pluck("code", &open)
	if strings.Join(open, ",") != "6(2),8(2),立行立改四" {
		t.Errorf("open tasks: %v", open)
	}
	// 8月底前 has no year: the plan year makes it 2021-08-31; the original deadline is kept.
	if task := e.task(t, "立行立改六"); task.Deadline.String() != "2021-08-31" || task.OriginalDeadline != task.Deadline {
		t.Errorf("立行立改六 deadline %s (original %s)", task.Deadline, task.OriginalDeadline)
	}
	if task := e.task(t, "9(2)"); !task.LongTerm || task.Deadline.IsZero() == false || task.Recurrence != "monthly" {
		t.Errorf("9(2) should be long-term with the default monthly check-in: %+v", task)
	}
	// A sub-problem is titled by its text, a problem without sub-problems by the problem's title.
	if task := e.task(t, "10"); task.Title == "" || strings.Contains(task.Title, "(") {
		t.Errorf("task 10 title %q", task.Title)
	}
	// 书记 leads two departments (机关党委 and 机关纪委).
	var leads int64
	e.db.Table("department_leaders dl").Joins("JOIN people p ON p.id = dl.person_id").Where("p.name = ?", "书记").Count(&leads)
	if leads != 2 {
		t.Errorf("书记 leads %d departments, want 2", leads)
	}
}

func TestImportPlanStartsEverythingOpen(t *testing.T) {
	e := newEnv(t)
	sum := e.importFixture(t, "plan.csv")
	if sum.ByStatus[ledger.StatusNotStarted] != 20 || sum.ByStatus[ledger.StatusOngoing] != 5 {
		t.Errorf("plan.csv statuses: %v, want 20 not started and 5 ongoing (长期坚持)", sum.ByStatus)
	}
	if n := e.count(t, &models.ProgressEntry{}); n != 0 {
		t.Errorf("plan.csv has no 整改情况 but %d progress entries were made", n)
	}
	if n := e.count(t, &models.Measure{}, "done = ?", true); n != 0 {
		t.Errorf("%d measures ticked in a fresh plan", n)
	}
}

func TestReimportingThePlanIsRefusedAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "plan.csv")
	_, err := e.store.ImportPlan(context.Background(), dongguanSpec, readFixture(t, "ledger.csv"), models.CLIActor, false)
	if !errors.Is(err, models.ErrPlanExists) {
		t.Fatalf("re-import: %v, want ErrPlanExists", err)
	}
	if !strings.Contains(err.Error(), dongguanSpec.Title) {
		t.Errorf("message does not say which plan: %v", err)
	}
	if n := e.count(t, &models.Task{}); n != 25 {
		t.Errorf("%d tasks after a refused re-import, want 25", n)
	}
	if n := e.count(t, &models.ProgressEntry{}); n != 0 {
		t.Errorf("refused re-import wrote %d progress entries", n)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	e := newEnv(t)
	sum, err := e.store.ImportPlan(context.Background(), dongguanSpec, readFixture(t, "ledger.csv"), models.CLIActor, true)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.DryRun || sum.Tasks != 25 || sum.NewPeople != 14 || sum.PlanID != 0 {
		t.Errorf("dry-run summary: %+v", sum)
	}
	for _, m := range models.All() {
		if n := e.count(t, m); n != 0 {
			t.Errorf("dry run left %d rows in %T", n, m)
		}
	}
}

func TestSecondPlanSharesPeopleAndDepartments(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	spec := dongguanSpec
	spec.Title = "第二轮整改"
	sum, err := e.store.ImportPlan(context.Background(), spec, readFixture(t, "plan.csv"), models.CLIActor, false)
	if err != nil {
		t.Fatal(err)
	}
	if sum.NewPeople != 0 || sum.NewDepartments != 0 {
		t.Errorf("the same people imported again as new: %+v", sum)
	}
	if n := e.count(t, &models.Person{}); n != 14 {
		t.Errorf("%d people, want 14 (5 leaders + 9 officers)", n)
	}
	if n := e.count(t, &models.Task{}); n != 50 {
		t.Errorf("%d tasks in two plans, want 50", n)
	}
}

func TestOfficerMovedToAnotherDepartmentIsRefusedByRow(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "plan.csv")
	rows := readFixture(t, "plan.csv")
	rows[3].Department = "政治部二处" // row 5 of the file: 张伟 is an officer of 委机关办公室 already
	rows[3].Officer = "张伟"
	spec := dongguanSpec
	spec.Title = "another plan"
	_, err := e.store.ImportPlan(context.Background(), spec, rows, models.CLIActor, false)
	var conflict *models.ImportConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("err = %v, want an ImportConflictError", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "row 5, column 责任人") || !strings.Contains(msg, "委机关办公室") {
		t.Errorf("message %q does not name the row, column and the current department", msg)
	}
	if n := e.count(t, &models.Plan{}); n != 1 {
		t.Errorf("a refused import left %d plans", n)
	}
	if n := e.count(t, &models.Department{}, "name = ?", "政治部二处"); n != 0 {
		t.Error("a refused import created a department")
	}
}

func TestOngoingStatusOnADatedTaskIsRefused(t *testing.T) {
	e := newEnv(t)
	rows := readFixture(t, "plan.csv")
	rows[0].Status = ledger.StatusOngoing
	_, err := e.store.ImportPlan(context.Background(), dongguanSpec, rows, models.CLIActor, false)
	if err == nil || !strings.Contains(err.Error(), "row 2, column 整改状态") {
		t.Fatalf("err = %v", err)
	}
	if n := e.count(t, &models.Plan{}); n != 0 {
		t.Error("plan written despite the error")
	}
}

func TestALeaderWhoBecomesAnOfficerGetsTheDepartment(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "plan.csv")
	rows := readFixture(t, "plan.csv")
	for i := range rows {
		rows[i].Officer = rows[i].Leader + "·" + rows[i].Officer // new people…
	}
	rows[0].Officer = "书记" // …except 书记, a leader so far, now an officer of 机关党委
	rows[1].Officer = "书记"
	rows[1].Department = "机关党委"
	spec := dongguanSpec
	spec.Title = "第二轮"
	if _, err := e.store.ImportPlan(context.Background(), spec, rows, models.CLIActor, false); err != nil {
		t.Fatal(err)
	}
	people, _ := e.store.People(context.Background())
	for _, p := range people {
		if p.Name == "书记" && p.Department != "机关党委" {
			t.Errorf("书记 is an officer of 机关党委 now, but the ledger says %q", p.Department)
		}
	}
}
