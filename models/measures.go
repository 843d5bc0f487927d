package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// ErrMeasuresClosed refuses ticking or unticking a measure of a closed
// (已销号) task: the closure was verified on the measures as they stood, so
// they stay as they were until the task is reopened.
var ErrMeasuresClosed = errors.New("the task is closed: its measures can no longer be ticked")

// Measure loads one measure (整改措施 item) by id.
func (s *Store) Measure(ctx context.Context, id uint) (Measure, error) {
	var m Measure
	return m, takeMeasure(s.db.WithContext(ctx), id, &m)
}

// SetMeasureDone ticks (done) or unticks a measure of an open task and
// records who did it. Setting the state the measure already has changes
// nothing and records nothing, so a press repeated before the keyboard was
// redrawn is harmless. On a closed task it returns ErrMeasuresClosed. The
// measure is returned as stored afterwards.
func (s *Store) SetMeasureDone(ctx context.Context, measureID uint, done bool, actor Actor) (Measure, error) {
	var m Measure
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := takeMeasure(tx, measureID, &m); err != nil {
			return err
		}
		var task Task
		if err := takeTask(tx, m.TaskID, &task); err != nil {
			return err
		}
		if task.Status == string(ledger.StatusClosed) {
			return ErrMeasuresClosed
		}
		if m.Done == done {
			return nil
		}
		// Writing the task row while it is still open serialises this with
		// a closure being committed at the same moment (ChangeStatus writes
		// the same row): on PostgreSQL the update waits for it and then
		// finds the task closed, so a tick never lands on a verified task.
		now := s.now()
		res := tx.Model(&Task{}).Where("id = ? AND status <> ?", task.ID, string(ledger.StatusClosed)).Update("updated_at", now)
		if res.Error != nil {
			return fmt.Errorf("tick measure %d: %w", m.ID, res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrMeasuresClosed
		}
		var doneAt *time.Time
		if done {
			doneAt = &now
		}
		res = tx.Model(&Measure{}).Where("id = ? AND done = ?", m.ID, m.Done).
			Updates(map[string]any{"done": done, "done_at": doneAt})
		if res.Error != nil {
			return fmt.Errorf("tick measure %d: %w", m.ID, res.Error)
		}
		if res.RowsAffected != 1 {
			// Another press set it meanwhile; it is as asked either way.
			return takeMeasure(tx, m.ID, &m)
		}
		before := map[string]any{"measure": m.ID, "seq": m.Seq, "done": m.Done}
		m.Done, m.DoneAt = done, doneAt
		after := map[string]any{"measure": m.ID, "seq": m.Seq, "done": done}
		if err := s.audit(tx, actor, "task.measure", taskSubject(task.ID), &task.PlanID, &task.ID, before, after); err != nil {
			return err
		}
		return s.tasksChanged(ctx, tx, task.ID)
	})
	return m, err
}

func takeMeasure(tx *gorm.DB, id uint, m *Measure) error {
	err := tx.Take(m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("measure %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("load measure %d: %w", id, err)
	}
	return nil
}
