package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// PersonInfo is a person as `rectibot people` and the admins see them.
type PersonInfo struct {
	ID             uint
	Name           string
	Roles          []string
	Department     string   // an officer's department
	Leads          []string // departments led
	SeesAll        bool
	TelegramLinked bool
	LinkedAt       *time.Time
	UnreachableAt  *time.Time
}

// People lists everyone with their roles, departments and whether they have
// linked Telegram, ordered by department then name. Three queries.
func (s *Store) People(ctx context.Context) ([]PersonInfo, error) {
	db := s.db.WithContext(ctx)
	var rows []struct {
		Person
		Department string
	}
	if err := db.Table("people").Select("people.*, COALESCE(d.name, '') AS department").
		Joins("LEFT JOIN departments d ON d.id = people.department_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	var roles []PersonRole
	if err := db.Order("role").Find(&roles).Error; err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	var leads []struct {
		PersonID uint
		Name     string
	}
	if err := db.Table("department_leaders dl").Select("dl.person_id, d.name").
		Joins("JOIN departments d ON d.id = dl.department_id").Order("d.name").Scan(&leads).Error; err != nil {
		return nil, fmt.Errorf("list department leaders: %w", err)
	}
	byID := make(map[uint]*PersonInfo, len(rows))
	out := make([]PersonInfo, len(rows))
	for i, r := range rows {
		out[i] = PersonInfo{ID: r.ID, Name: r.Name, Department: r.Department, SeesAll: r.SeesAll,
			TelegramLinked: r.TelegramUserID != nil, LinkedAt: r.LinkedAt, UnreachableAt: r.UnreachableAt}
		byID[r.ID] = &out[i]
	}
	for _, r := range roles {
		if p := byID[r.PersonID]; p != nil {
			p.Roles = append(p.Roles, r.Role)
		}
	}
	for _, l := range leads {
		if p := byID[l.PersonID]; p != nil {
			p.Leads = append(p.Leads, l.Name)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Department != b.Department {
			return a.Department < b.Department
		}
		return strings.Compare(a.Name, b.Name) < 0
	})
	return out, nil
}

// ErrPersonExists is returned when adding a person whose name is taken.
var ErrPersonExists = errors.New("a person with this name already exists")

// AddPerson creates a person with a role, for people no import names (an
// admin, a viewer). department may be empty.
func (s *Store) AddPerson(ctx context.Context, name, department string, role ledger.Role, actor Actor) (Person, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Person{}, errors.New("add person: a name is required")
	}
	if !role.Valid() {
		return Person{}, fmt.Errorf("add person: unknown role %q", role)
	}
	p := Person{Name: name, CreatedAt: s.now()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Person{}).Where("name = ?", name).Count(&n).Error; err != nil {
			return fmt.Errorf("add person: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("%w: %q", ErrPersonExists, name)
		}
		if department = strings.TrimSpace(department); department != "" {
			d := Department{Name: department}
			if err := tx.Where(Department{Name: department}).FirstOrCreate(&d).Error; err != nil {
				return fmt.Errorf("add person: department: %w", err)
			}
			p.DepartmentID = &d.ID
		}
		if err := tx.Create(&p).Error; err != nil {
			return fmt.Errorf("add person: %w", err)
		}
		if err := tx.Create(&PersonRole{PersonID: p.ID, Role: string(role)}).Error; err != nil {
			return fmt.Errorf("add person: role: %w", err)
		}
		return s.audit(tx, actor, "person.created", fmt.Sprintf("person:%d", p.ID), nil, nil, nil,
			map[string]any{"name": name, "department": department, "role": role})
	})
	return p, err
}
