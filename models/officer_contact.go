package models

import (
	"context"
	"fmt"
	"time"
)

// Contact is a person the bot may have to tell about a task.
type Contact struct {
	PersonID   uint
	Name       string
	TelegramID *int64 // nil: not linked yet
	Lang       string // "" = unknown, the default language
}

// TaskContacts is who is told about a decision on a task: its officer and
// leader, and the department whose groups hear of it.
type TaskContacts struct {
	TaskID       uint
	Code         string
	Title        string
	DepartmentID uint
	Department   string
	UnitID       uint
	Officer      Contact
	Leader       Contact
}

// TaskContacts loads the task's officer and leader with their Telegram ids,
// read now (a person may have linked since the task was listed). One query.
func (s *Store) TaskContacts(ctx context.Context, taskID uint) (TaskContacts, error) {
	var rows []struct {
		TaskID          uint
		Code            string
		Title           string
		DepartmentID    uint
		Department      string
		UnitID          uint
		OfficerID       uint
		OfficerName     string
		OfficerTelegram *int64
		OfficerLang     string
		LeaderID        uint
		LeaderName      string
		LeaderTelegram  *int64
		LeaderLang      string
	}
	err := s.db.WithContext(ctx).Table("tasks t").
		Select(`t.id AS task_id, t.code, t.title, t.department_id, d.name AS department, d.unit_id,
			o.id AS officer_id, o.name AS officer_name, o.telegram_user_id AS officer_telegram, o.lang AS officer_lang,
			l.id AS leader_id, l.name AS leader_name, l.telegram_user_id AS leader_telegram, l.lang AS leader_lang`).
		Joins("JOIN departments d ON d.id = t.department_id").
		Joins("JOIN people o ON o.id = t.officer_id").
		Joins("JOIN people l ON l.id = t.leader_id").
		Where("t.id = ?", taskID).Scan(&rows).Error
	if err != nil {
		return TaskContacts{}, fmt.Errorf("task contacts: %w", err)
	}
	if len(rows) == 0 {
		return TaskContacts{}, fmt.Errorf("task %d: %w", taskID, ErrNotFound)
	}
	r := rows[0]
	return TaskContacts{
		TaskID: r.TaskID, Code: r.Code, Title: r.Title, DepartmentID: r.DepartmentID, Department: r.Department, UnitID: r.UnitID,
		Officer: Contact{PersonID: r.OfficerID, Name: r.OfficerName, TelegramID: r.OfficerTelegram, Lang: r.OfficerLang},
		Leader:  Contact{PersonID: r.LeaderID, Name: r.LeaderName, TelegramID: r.LeaderTelegram, Lang: r.LeaderLang},
	}, nil
}

// LatestProgress is the newest progress entry of a task, as a list shows it.
type LatestProgress struct {
	TaskID      uint
	Text        string
	Source      string // SourceImport for the ledger's own 整改情况
	Author      string // "" for an imported entry
	Attachments int    // on this entry
	CreatedAt   time.Time
	AllFiles    int // on every entry of the task
}

// LatestProgressOf returns the newest progress entry of each task that has
// one, keyed by task id: what a leader reads before signing off. One query
// however many tasks, and only one entry per task leaves the database.
func (s *Store) LatestProgressOf(ctx context.Context, taskIDs []uint) (map[uint]LatestProgress, error) {
	out := map[uint]LatestProgress{}
	if len(taskIDs) == 0 {
		return out, nil
	}
	var rows []LatestProgress
	err := s.db.WithContext(ctx).Table("progress_entries p").
		Select(`p.task_id, p.text, p.source, p.created_at, COALESCE(au.name, '') AS author,
			(SELECT COUNT(*) FROM attachments a WHERE a.progress_entry_id = p.id) AS attachments,
			(SELECT COUNT(*) FROM attachments a JOIN progress_entries pa ON pa.id = a.progress_entry_id
				WHERE pa.task_id = p.task_id) AS all_files`).
		Joins("LEFT JOIN people au ON au.id = p.author_id").
		Where("p.task_id IN ?", taskIDs).
		Where(`p.id = (SELECT p2.id FROM progress_entries p2 WHERE p2.task_id = p.task_id
			ORDER BY p2.created_at DESC, p2.id DESC LIMIT 1)`).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("latest progress: %w", err)
	}
	for _, r := range rows {
		out[r.TaskID] = r
	}
	return out, nil
}
