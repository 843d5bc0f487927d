package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/rectibot/rectibot/models"
)

// measuresOf is a task's measures in order.
func (e *env) measuresOf(t *testing.T, taskID uint) []models.Measure {
	t.Helper()
	var ms []models.Measure
	if err := e.db.Where("task_id = ?", taskID).Order("seq").Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestTickingAMeasureIsRecordedOnceAndShowsInTheLedger(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	task := e.task(t, "8(2)") // 整改中, three measures
	ms := e.measuresOf(t, task.ID)
	if len(ms) != 3 || ms[0].Done {
		t.Fatalf("8(2) measures as imported: %+v", ms)
	}
	events := func() int64 {
		return e.count(t, &models.AuditEvent{}, "task_id = ? AND action = ?", task.ID, "task.measure")
	}

	got, err := e.store.SetMeasureDone(ctx, ms[0].ID, true, officer)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Done || got.DoneAt == nil || !got.DoneAt.Equal(reportDay) {
		t.Errorf("ticked: done %v at %v, want done at %v", got.Done, got.DoneAt, reportDay)
	}
	if stored := e.measuresOf(t, task.ID)[0]; !stored.Done || stored.DoneAt == nil {
		t.Errorf("stored: %+v", stored)
	}
	if n := events(); n != 1 {
		t.Fatalf("%d task.measure events, want 1", n)
	}
	var ev models.AuditEvent
	if err := e.db.Where("task_id = ? AND action = ?", task.ID, "task.measure").Take(&ev).Error; err != nil {
		t.Fatal(err)
	}
	if ev.Actor != officer.Label || ev.PlanID == nil || *ev.PlanID != task.PlanID || ev.Subject != "task:"+fmt.Sprint(task.ID) {
		t.Errorf("event: %+v", ev)
	}
	if ev.Before != `{"done":false,"measure":`+fmt.Sprint(ms[0].ID)+`,"seq":1}` || ev.After != `{"done":true,"measure":`+fmt.Sprint(ms[0].ID)+`,"seq":1}` {
		t.Errorf("event before %s after %s", ev.Before, ev.After)
	}

	// The same press again (a double tap) changes and records nothing.
	if again, err := e.store.SetMeasureDone(ctx, ms[0].ID, true, officer); err != nil || !again.Done || !again.DoneAt.Equal(reportDay) {
		t.Errorf("ticked twice: %+v, %v", again, err)
	}
	if n := events(); n != 1 {
		t.Errorf("%d events after a repeated tick, want 1", n)
	}

	rows, err := e.store.LedgerRows(ctx, task.PlanID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.TaskID == task.ID {
			if len(r.MeasuresDone) != 3 || !r.MeasuresDone[0] || r.MeasuresDone[1] || r.MeasuresDone[2] {
				t.Errorf("ledger row of 8(2): done %v", r.MeasuresDone)
			}
		}
		if len(r.MeasuresDone) != len(r.Measures) {
			t.Errorf("%s: %d measures, %d done marks", r.ProblemCode, len(r.Measures), len(r.MeasuresDone))
		}
	}
	card, err := e.store.Card(ctx, task.ID)
	if err != nil || !card.Measures[0].Done || card.Measures[1].Done {
		t.Errorf("card measures %+v, %v", card.Measures, err)
	}

	// Unticking clears the time.
	got, err = e.store.SetMeasureDone(ctx, ms[0].ID, false, officer)
	if err != nil || got.Done || got.DoneAt != nil {
		t.Errorf("unticked: %+v, %v", got, err)
	}
	if stored := e.measuresOf(t, task.ID)[0]; stored.Done || stored.DoneAt != nil {
		t.Errorf("stored after untick: %+v", stored)
	}
	if n := events(); n != 2 {
		t.Errorf("%d events after the untick, want 2", n)
	}
}

func TestAClosedTasksMeasuresCannotBeTicked(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	task := e.task(t, "6(3)") // 已完成: imported closed, its measure done
	m := e.measuresOf(t, task.ID)[0]
	for _, done := range []bool{false, true} {
		if _, err := e.store.SetMeasureDone(ctx, m.ID, done, officer); !errors.Is(err, models.ErrMeasuresClosed) {
			t.Errorf("set done=%v on a closed task: %v, want ErrMeasuresClosed", done, err)
		}
	}
	if stored := e.measuresOf(t, task.ID)[0]; !stored.Done {
		t.Error("the closed task's measure was unticked")
	}
	if n := e.count(t, &models.AuditEvent{}, "action = ?", "task.measure"); n != 0 {
		t.Errorf("%d task.measure events for refused ticks", n)
	}
	if _, err := e.store.SetMeasureDone(ctx, 999999, true, officer); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("an unknown measure: %v, want ErrNotFound", err)
	}
	if _, err := e.store.Measure(ctx, 999999); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("Measure of an unknown id: %v, want ErrNotFound", err)
	}
}
