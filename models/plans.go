package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ErrAmbiguousPlan is returned when no plan was named and there are several.
var ErrAmbiguousPlan = errors.New("several plans: name one with --plan")

// Plans lists every plan, oldest first.
func (s *Store) Plans(ctx context.Context) ([]Plan, error) {
	var plans []Plan
	if err := s.db.WithContext(ctx).Order("id").Find(&plans).Error; err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	return plans, nil
}

// FindPlan finds a plan by id or exact title. An empty ref means the only
// plan there is.
func (s *Store) FindPlan(ctx context.Context, ref string) (Plan, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		plans, err := s.Plans(ctx)
		if err != nil {
			return Plan{}, err
		}
		switch len(plans) {
		case 0:
			return Plan{}, fmt.Errorf("no plan in the ledger yet (import one first): %w", ErrNotFound)
		case 1:
			return plans[0], nil
		default:
			titles := make([]string, len(plans))
			for i, p := range plans {
				titles[i] = fmt.Sprintf("%d %s", p.ID, p.Title)
			}
			return Plan{}, fmt.Errorf("%w: %s", ErrAmbiguousPlan, strings.Join(titles, "; "))
		}
	}
	var p Plan
	q := s.db.WithContext(ctx).Where("title = ?", ref)
	if id, err := strconv.ParseUint(ref, 10, 64); err == nil {
		q = s.db.WithContext(ctx).Where("id = ? OR title = ?", id, ref)
	}
	err := q.Order("id").Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Plan{}, fmt.Errorf("plan %q: %w", ref, ErrNotFound)
	}
	if err != nil {
		return Plan{}, fmt.Errorf("find plan %q: %w", ref, err)
	}
	return p, nil
}

// Location is the plan's time zone (Asia/Shanghai when unknown).
func (p Plan) Location() *time.Location {
	if loc, err := time.LoadLocation(p.TimeZone); err == nil {
		return loc
	}
	loc, err := time.LoadLocation(DefaultTimeZone)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}
