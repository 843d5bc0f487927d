package models

import (
	"context"
	"fmt"
	"time"
)

// EvidenceFile is a stored photo or document with the entry it came with.
type EvidenceFile struct {
	Attachment
	EntryText string
	Author    string // "" for an imported entry
	CreatedAt time.Time
}

// EvidenceOf lists a task's files, newest entry first, at most limit, and
// how many there are in all: what a 佐证材料 button sends back.
func (s *Store) EvidenceOf(ctx context.Context, taskID uint, limit int) ([]EvidenceFile, int64, error) {
	db := s.db.WithContext(ctx)
	var total int64
	err := db.Table("attachments a").Joins("JOIN progress_entries p ON p.id = a.progress_entry_id").
		Where("p.task_id = ?", taskID).Count(&total).Error
	if err != nil {
		return nil, 0, fmt.Errorf("evidence of task %d: %w", taskID, err)
	}
	var files []EvidenceFile
	err = db.Table("attachments a").
		Select("a.*, p.text AS entry_text, COALESCE(au.name, '') AS author, p.created_at").
		Joins("JOIN progress_entries p ON p.id = a.progress_entry_id").
		Joins("LEFT JOIN people au ON au.id = p.author_id").
		Where("p.task_id = ?", taskID).Order("p.created_at DESC, p.id DESC, a.id").Limit(limit).Scan(&files).Error
	if err != nil {
		return nil, 0, fmt.Errorf("evidence of task %d: %w", taskID, err)
	}
	return files, total, nil
}

// AttachmentByID is one evidence file and the task it belongs to, for the
// Mini App to check who may see it before streaming it. ErrNotFound when
// there is none.
func (s *Store) AttachmentByID(ctx context.Context, id uint) (Attachment, uint, error) {
	var rows []struct {
		Attachment
		TaskID uint
	}
	err := s.db.WithContext(ctx).Table("attachments a").Select("a.*, p.task_id").
		Joins("JOIN progress_entries p ON p.id = a.progress_entry_id").
		Where("a.id = ?", id).Scan(&rows).Error
	if err != nil {
		return Attachment{}, 0, fmt.Errorf("attachment %d: %w", id, err)
	}
	if len(rows) == 0 {
		return Attachment{}, 0, fmt.Errorf("attachment %d: %w", id, ErrNotFound)
	}
	return rows[0].Attachment, rows[0].TaskID, nil
}
