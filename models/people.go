package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
	UnitID         uint   // 0 above the units
	Unit           string // "" above the units
	UnitShort      string
	Roles          []string
	Department     string   // an officer's department
	Leads          []string // departments led
	SeesAll        bool
	TelegramLinked bool
	LinkedAt       *time.Time
	UnreachableAt  *time.Time
}

// PeopleFilter narrows People; the zero value is everyone.
type PeopleFilter struct {
	UnitID     uint   // only this unit's people (a unit's admin sees no others)
	PersonID   uint   // only this person (a press names one)
	AboveUnits bool   // only the people above the units (supervisors, the office)
	Name       string // only people whose name contains this
}

// likeEscaper makes a name a literal LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// People lists everyone with their roles, departments and whether they have
// linked Telegram, ordered by unit, department then name.
func (s *Store) People(ctx context.Context) ([]PersonInfo, error) {
	return s.PeopleBy(ctx, PeopleFilter{})
}

// PeopleBy lists the people the filter names, as People does. Three
// queries, each limited by the filter: a unit's list reads that unit only.
func (s *Store) PeopleBy(ctx context.Context, f PeopleFilter) ([]PersonInfo, error) {
	db := s.db.WithContext(ctx)
	// which limits a query on a table with a person_id column.
	which := func(q *gorm.DB, col string) *gorm.DB {
		if f.PersonID != 0 {
			q = q.Where(col+" = ?", f.PersonID)
		}
		if f.UnitID != 0 {
			q = q.Where(col+" IN (SELECT id FROM people WHERE unit_id = ?)", f.UnitID)
		}
		if f.AboveUnits {
			q = q.Where(col + " IN (SELECT id FROM people WHERE unit_id IS NULL)")
		}
		if f.Name != "" {
			q = q.Where(col+` IN (SELECT id FROM people WHERE name LIKE ? ESCAPE '\')`, "%"+likeEscaper.Replace(f.Name)+"%")
		}
		return q
	}
	var rows []struct {
		Person
		Department string
		UnitName   string
		UnitShort  string
	}
	if err := which(db.Table("people"), "people.id").
		Select("people.*, COALESCE(d.name, '') AS department, COALESCE(u.name, '') AS unit_name, COALESCE(u.short_name, '') AS unit_short").
		Joins("LEFT JOIN departments d ON d.id = people.department_id").
		Joins("LEFT JOIN units u ON u.id = people.unit_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var roles []PersonRole
	if err := which(db, "person_id").Order("role").Find(&roles).Error; err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	var leads []struct {
		PersonID uint
		Name     string
	}
	if err := which(db.Table("department_leaders dl"), "dl.person_id").Select("dl.person_id, d.name").
		Joins("JOIN departments d ON d.id = dl.department_id").Order("d.name").Scan(&leads).Error; err != nil {
		return nil, fmt.Errorf("list department leaders: %w", err)
	}
	byID := make(map[uint]*PersonInfo, len(rows))
	out := make([]PersonInfo, len(rows))
	for i, r := range rows {
		out[i] = PersonInfo{ID: r.ID, Name: r.Name, Unit: r.UnitName, UnitShort: r.UnitShort, Department: r.Department, SeesAll: r.SeesAll,
			TelegramLinked: r.TelegramUserID != nil, LinkedAt: r.LinkedAt, UnreachableAt: r.UnreachableAt}
		if r.UnitID != nil {
			out[i].UnitID = *r.UnitID
		}
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
		unit, err := findUnit(tx, u)
		if err != nil {
			return nil, fmt.Errorf("add person: %w", err)
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
// Supervises limits a supervisor to these units (full or short names);
// none: every unit.
type NewPerson struct {
	Name, Department, Unit string
	Role                   ledger.Role
	Supervises             []string
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
	if len(np.Supervises) > 0 && (role != ledger.RoleSupervisor || strings.TrimSpace(np.Unit) != "") {
		return Person{}, errors.New("add person: only a supervisor above the units supervises units (--role supervisor, no --unit)")
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
		after := map[string]any{"name": name, "department": department, "role": role}
		if len(np.Supervises) > 0 {
			units, err := s.supervise(tx, p, np.Supervises)
			if err != nil {
				return err
			}
			after["supervises"] = units
		}
		return s.audit(tx, actor, "person.created", fmt.Sprintf("person:%d", p.ID), nil, nil, nil, after)
	})
	return p, err
}

// supervise records the units a supervisor reads (replacing any before),
// and returns their full names for the audit trail. A supervisor belongs
// to no unit: one inside a unit reads that unit already.
func (s *Store) supervise(tx *gorm.DB, p Person, refs []string) ([]string, error) {
	if p.UnitID != nil {
		return nil, errors.New("supervise: a supervisor of units is above the units (no --unit)")
	}
	var names []string
	var rows []SupervisorUnit
	for _, ref := range refs {
		if strings.TrimSpace(ref) == "" {
			continue
		}
		u, err := findUnit(tx, ref)
		if err != nil {
			return nil, fmt.Errorf("supervise: %w", err)
		}
		if !slices.Contains(names, u.Name) {
			names = append(names, u.Name)
			rows = append(rows, SupervisorUnit{PersonID: p.ID, UnitID: u.ID})
		}
	}
	if err := tx.Where("person_id = ?", p.ID).Delete(&SupervisorUnit{}).Error; err != nil {
		return nil, fmt.Errorf("supervise: %w", err)
	}
	if err := createAll(tx, rows).Error; err != nil {
		return nil, fmt.Errorf("supervise: %w", err)
	}
	return names, nil
}

// SetSupervisedUnits limits a supervisor to the units named (full or short
// names); none: every unit. With an audit event.
func (s *Store) SetSupervisedUnits(ctx context.Context, who PersonRef, units []string, actor Actor) ([]string, error) {
	var names []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := findPerson(tx, who)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&PersonRole{}).Where("person_id = ? AND role = ?", p.ID, ledger.RoleSupervisor).Count(&n).Error; err != nil {
			return fmt.Errorf("supervise: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("supervise: %s is not a supervisor", p.Name)
		}
		var before []string
		if err := tx.Table("supervisor_units su").Joins("JOIN units u ON u.id = su.unit_id").Where("su.person_id = ?", p.ID).
			Order("u.name").Pluck("u.name", &before).Error; err != nil {
			return fmt.Errorf("supervise: %w", err)
		}
		if names, err = s.supervise(tx, p, units); err != nil {
			return err
		}
		return s.audit(tx, actor, "person.supervises", fmt.Sprintf("person:%d", p.ID), nil, nil,
			map[string]any{"supervises": before}, map[string]any{"supervises": names})
	})
	return names, err
}
