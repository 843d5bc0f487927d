package models

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// PersonRef names a person: by id, or by name — within a unit (its full or
// short name) where two units have someone of that name (every unit has a
// 张伟).
type PersonRef struct {
	ID   uint
	Name string
	Unit string
}

// AmbiguousNameError refuses a name several units share, naming the units.
type AmbiguousNameError struct {
	Name  string
	Units []string
}

func (e *AmbiguousNameError) Error() string {
	return fmt.Sprintf("%q is a person of several units (%s): name the unit (--unit)", e.Name, strings.Join(e.Units, ", "))
}

// ErrAmbiguous matches every *AmbiguousNameError.
var ErrAmbiguous = errors.New("ambiguous name")

// Is makes errors.Is(err, ErrAmbiguous) true.
func (e *AmbiguousNameError) Is(target error) bool { return target == ErrAmbiguous }

// findPerson resolves ref inside tx.
func findPerson(tx *gorm.DB, ref PersonRef) (Person, error) {
	var ps []Person
	q := tx.Model(&Person{})
	if ref.ID != 0 {
		q = q.Where("people.id = ?", ref.ID)
	} else {
		q = q.Where("people.name = ?", strings.TrimSpace(ref.Name))
	}
	if u := strings.TrimSpace(ref.Unit); u != "" {
		q = q.Joins("JOIN units u ON u.id = people.unit_id").Where("u.name = ? OR u.short_name = ?", u, u)
	}
	if err := q.Order("people.id").Limit(20).Find(&ps).Error; err != nil {
		return Person{}, fmt.Errorf("look up person: %w", err)
	}
	switch len(ps) {
	case 0:
		who := ref.Name
		if ref.ID != 0 {
			who = fmt.Sprintf("#%d", ref.ID)
		}
		return Person{}, fmt.Errorf("person %q: %w (see `rectibot people`)", who, ErrNotFound)
	case 1:
		return ps[0], nil
	}
	e := &AmbiguousNameError{Name: ref.Name}
	var unitIDs []uint
	for _, p := range ps {
		if p.UnitID != nil {
			unitIDs = append(unitIDs, *p.UnitID)
		}
	}
	if err := tx.Model(&Unit{}).Where("id IN ?", unitIDs).Order("name").Pluck("name", &e.Units).Error; err != nil {
		return Person{}, fmt.Errorf("look up person: units: %w", err)
	}
	return Person{}, e
}
