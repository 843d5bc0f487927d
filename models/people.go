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
	Unit           string // "" above the units
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
		UnitName   string
	}
	if err := db.Table("people").Select("people.*, COALESCE(d.name, '') AS department, COALESCE(u.name, '') AS unit_name").
		Joins("LEFT JOIN departments d ON d.id = people.department_id").
		Joins("LEFT JOIN units u ON u.id = people.unit_id").Scan(&rows).Error; err != nil {
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
		out[i] = PersonInfo{ID: r.ID, Name: r.Name, Unit: r.UnitName, Department: r.Department, SeesAll: r.SeesAll,
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
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		if a.Department != b.Department {
			return a.Department < b.Department
		}
		return strings.Compare(a.Name, b.Name) < 0
	})
	return out, nil
}

// personUnit decides the unit of a person added by hand.
func personUnit(tx *gorm.DB, np NewPerson) (*uint, error) {
	if u := strings.TrimSpace(np.Unit); u != "" {
		var unit Unit
		err := tx.Where("name = ? OR short_name = ?", u, u).Take(&unit).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, fmt.Errorf("add person: unit %q: %w", u, ErrNotFound)
		}
		if err != nil {
			return nil, fmt.Errorf("add person: unit: %w", err)
		}
		return &unit.ID, nil
	}
	if (np.Role == ledger.RoleAdmin || np.Role == ledger.RoleSupervisor) && strings.TrimSpace(np.Department) == "" {
		return nil, nil // above the units
	}
	var units []Unit
	if err := tx.Order("id").Limit(2).Find(&units).Error; err != nil {
		return nil, fmt.Errorf("add person: units: %w", err)
	}
	switch len(units) {
	case 0:
		return nil, nil
	case 1:
		return &units[0].ID, nil
	}
	return nil, ErrUnitRequired
}

// ErrPersonExists is returned when adding a person whose name is taken.
var ErrPersonExists = errors.New("a person with this name already exists")

// NewPerson is a person no import names: an admin, a viewer, a
// supervisor. Unit names their unit (full or short name); "" is above the
// units for an admin or supervisor, else the installation's only unit.
type NewPerson struct {
	Name, Department, Unit string
	Role                   ledger.Role
}

// AddPerson creates a person with a role. Their name must be new in their
// unit (or above the units).
func (s *Store) AddPerson(ctx context.Context, np NewPerson, actor Actor) (Person, error) {
	name, department, role := strings.TrimSpace(np.Name), strings.TrimSpace(np.Department), np.Role
	if name == "" {
		return Person{}, errors.New("add person: a name is required")
	}
	if !role.Valid() {
		return Person{}, fmt.Errorf("add person: unknown role %q", role)
	}
	p := Person{Name: name, CreatedAt: s.now()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		unit, err := personUnit(tx, np)
		if err != nil {
			return err
		}
		p.UnitID = unit
		same := tx.Model(&Person{}).Where("name = ?", name)
		if unit == nil {
			same = same.Where("unit_id IS NULL")
		} else {
			same = same.Where("unit_id = ?", *unit)
		}
		var n int64
		if err := same.Count(&n).Error; err != nil {
			return fmt.Errorf("add person: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("%w: %q", ErrPersonExists, name)
		}
		if department != "" {
			if unit == nil {
				return errors.New("add person: a department belongs to a unit: name the unit (--unit)")
			}
			d := Department{Name: department, UnitID: *unit}
			if err := tx.Where(Department{Name: department, UnitID: *unit}).FirstOrCreate(&d).Error; err != nil {
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
