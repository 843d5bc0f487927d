package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// UnitInfo is a unit as `rectibot units` lists it.
type UnitInfo struct {
	Unit
	Plans, Tasks, People int
}

// Units lists every unit by name with how many plans, tasks and people it
// has. One query: the counts are grouped once each, not per unit, so the
// list stays quick with thousands of units.
func (s *Store) Units(ctx context.Context) ([]UnitInfo, error) {
	var out []UnitInfo
	err := s.db.WithContext(ctx).Raw(`SELECT u.*, COALESCE(p.n, 0) AS plans, COALESCE(t.n, 0) AS tasks, COALESCE(pe.n, 0) AS people
		FROM units u
		LEFT JOIN (SELECT unit_id, COUNT(*) AS n FROM plans GROUP BY unit_id) p ON p.unit_id = u.id
		LEFT JOIN (SELECT pl.unit_id, COUNT(*) AS n FROM tasks JOIN plans pl ON pl.id = tasks.plan_id GROUP BY pl.unit_id) t ON t.unit_id = u.id
		LEFT JOIN (SELECT unit_id, COUNT(*) AS n FROM people WHERE unit_id IS NOT NULL GROUP BY unit_id) pe ON pe.unit_id = u.id
		ORDER BY u.name`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return out, nil
}

// CountUnits is how many units the installation has: whether a name needs
// its unit to be unambiguous.
func (s *Store) CountUnits(ctx context.Context) (int, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Unit{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count units: %w", err)
	}
	return int(n), nil
}

// UnitNames lists up to limit units' full names, by name, and how many
// there are in all: for a message that names the units to choose from.
func (s *Store) UnitNames(ctx context.Context, limit int) ([]string, int, error) {
	db := s.db.WithContext(ctx)
	var n int64
	if err := db.Model(&Unit{}).Count(&n).Error; err != nil {
		return nil, 0, fmt.Errorf("unit names: %w", err)
	}
	var names []string
	if err := db.Model(&Unit{}).Order("name").Limit(limit).Pluck("name", &names).Error; err != nil {
		return nil, 0, fmt.Errorf("unit names: %w", err)
	}
	return names, int(n), nil
}

// UnitNotFoundError is a unit name (full or short) no unit has: the
// caller may name the units there are.
type UnitNotFoundError struct{ Ref string }

func (e *UnitNotFoundError) Error() string { return fmt.Sprintf("unit %q: %v", e.Ref, ErrNotFound) }

// Is makes errors.Is(err, ErrNotFound) true.
func (e *UnitNotFoundError) Is(target error) bool { return target == ErrNotFound }

// AmbiguousUnitError refuses a short name several units share.
type AmbiguousUnitError struct {
	Ref   string
	Units []string
}

func (e *AmbiguousUnitError) Error() string {
	return fmt.Sprintf("%q is the short name of several units (%s): give the full name", e.Ref, strings.Join(e.Units, ", "))
}

// Is makes errors.Is(err, ErrAmbiguous) true.
func (e *AmbiguousUnitError) Is(target error) bool { return target == ErrAmbiguous }

// FindUnit finds a unit by its full name, or else its short name (a full
// name wins: 市委政法委 may be one unit's full name and another's short).
// ErrNotFound when none has it; *AmbiguousUnitError when two share the
// short name.
func (s *Store) FindUnit(ctx context.Context, ref string) (Unit, error) {
	return findUnit(s.db.WithContext(ctx), ref)
}

func findUnit(tx *gorm.DB, ref string) (Unit, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return Unit{}, fmt.Errorf("unit: a name is required: %w", ErrNotFound)
	}
	var us []Unit
	if err := tx.Where("name = ? OR short_name = ?", ref, ref).Order("id").Limit(20).Find(&us).Error; err != nil {
		return Unit{}, fmt.Errorf("find unit %q: %w", ref, err)
	}
	for _, u := range us {
		if u.Name == ref {
			return u, nil
		}
	}
	switch len(us) {
	case 0:
		return Unit{}, &UnitNotFoundError{Ref: ref}
	case 1:
		return us[0], nil
	}
	e := &AmbiguousUnitError{Ref: ref}
	for _, u := range us {
		e.Units = append(e.Units, u.Name)
	}
	return Unit{}, e
}

// ErrUnitNameTaken refuses a short name that another unit goes by: --unit
// would no longer say which unit is meant.
var ErrUnitNameTaken = errors.New("another unit goes by this name")

// UnitNaming is what SetUnitNames changes; nil leaves a name as it is.
type UnitNaming struct {
	Short, Self *string
}

// SetUnitNames sets a unit's short name (市委政法委) and how it calls
// itself in documents (我委), with an audit event.
func (s *Store) SetUnitNames(ctx context.Context, ref string, n UnitNaming, actor Actor) (Unit, error) {
	var u Unit
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if u, err = findUnit(tx, ref); err != nil {
			return err
		}
		before := u
		if n.Short != nil {
			short := strings.TrimSpace(*n.Short)
			if short != "" {
				var taken int64
				if err := tx.Model(&Unit{}).Where("id <> ? AND (name = ? OR short_name = ?)", u.ID, short, short).
					Count(&taken).Error; err != nil {
					return fmt.Errorf("name unit: %w", err)
				}
				if taken > 0 {
					return fmt.Errorf("%w: %q", ErrUnitNameTaken, short)
				}
			}
			u.ShortName = short
		}
		if n.Self != nil {
			u.SelfName = strings.TrimSpace(*n.Self)
		}
		if err := tx.Model(&Unit{}).Where("id = ?", u.ID).
			Updates(map[string]any{"short_name": u.ShortName, "self_name": u.SelfName}).Error; err != nil {
			return fmt.Errorf("name unit: %w", err)
		}
		return s.audit(tx, actor, "unit.named", fmt.Sprintf("unit:%d", u.ID), nil, nil,
			map[string]any{"short_name": before.ShortName, "self_name": before.SelfName},
			map[string]any{"short_name": u.ShortName, "self_name": u.SelfName})
	})
	return u, err
}

// UnitsWithDepartment lists the units that have a department of that name,
// by name: more than one, and the name alone does not say which is meant.
func (s *Store) UnitsWithDepartment(ctx context.Context, name string) ([]Unit, error) {
	var us []Unit
	if err := s.db.WithContext(ctx).Where("id IN (SELECT unit_id FROM departments WHERE name = ?)", strings.TrimSpace(name)).
		Order("name").Find(&us).Error; err != nil {
		return nil, fmt.Errorf("units with department %q: %w", name, err)
	}
	return us, nil
}
