package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// ErrInspectionDates refuses a 巡察时间 whose last day comes before its first.
var ErrInspectionDates = errors.New("the inspection cannot end before it starts")

// PlanDetails is what SetPlanDetails changes; nil leaves a field as it is.
// The 巡察时间 is set as a pair: both days, or (both zero) neither.
type PlanDetails struct {
	InspectedFrom, InspectedTo *ledger.Date
	Contact                    *string // 联系电话：…；电子邮箱：…
	Organisation, Supervision  *string // the office's paragraphs; "" for the defaults
	Principal                  *string // the 第一责任人 who signs the 整改报告
}

// SetPlanDetails sets what the 通报 and the 整改报告 say beyond the
// ledger, with an audit event. ErrNotFound when no plan has the ref;
// ErrInspectionDates when the inspection ends before it starts.
func (s *Store) SetPlanDetails(ctx context.Context, ref string, d PlanDetails, actor Actor) (Plan, error) {
	if (d.InspectedFrom == nil) != (d.InspectedTo == nil) {
		return Plan{}, fmt.Errorf("set plan: the inspection needs its first and last day")
	}
	if d.InspectedFrom != nil && d.InspectedTo.Before(*d.InspectedFrom) {
		return Plan{}, fmt.Errorf("%w: %s..%s", ErrInspectionDates, d.InspectedFrom, d.InspectedTo)
	}
	p, err := s.FindPlan(ctx, ref)
	if err != nil {
		return Plan{}, err
	}
	before := planDetailsAudit(p)
	if d.InspectedFrom != nil {
		p.InspectedFrom, p.InspectedTo = DateOf(*d.InspectedFrom), DateOf(*d.InspectedTo)
	}
	for _, f := range []struct {
		to  *string
		val *string
	}{{&p.Contact, d.Contact}, {&p.Organisation, d.Organisation}, {&p.Supervision, d.Supervision}, {&p.Principal, d.Principal}} {
		if f.val != nil {
			*f.to = strings.TrimSpace(*f.val)
		}
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Plan{}).Where("id = ?", p.ID).Updates(map[string]any{
			"inspected_from": p.InspectedFrom, "inspected_to": p.InspectedTo,
			"contact": p.Contact, "organisation": p.Organisation, "supervision": p.Supervision,
			"principal": p.Principal,
		}).Error; err != nil {
			return fmt.Errorf("set plan %d: %w", p.ID, err)
		}
		return s.audit(tx, actor, "plan.details", fmt.Sprintf("plan:%d", p.ID), &p.ID, nil, before, planDetailsAudit(p))
	})
	if err != nil {
		return Plan{}, err
	}
	return p, nil
}

func planDetailsAudit(p Plan) map[string]any {
	day := func(d Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	return map[string]any{"inspected_from": day(p.InspectedFrom), "inspected_to": day(p.InspectedTo),
		"contact": p.Contact, "organisation": p.Organisation, "supervision": p.Supervision, "principal": p.Principal}
}

// PlanInfo is a plan as `rectibot plans` lists it: with its unit's name
// and how many tasks it has.
type PlanInfo struct {
	Plan
	UnitName string
	Tasks    int
}

// PlanInfos lists every plan, oldest first, with its unit and task count.
// One query.
func (s *Store) PlanInfos(ctx context.Context) ([]PlanInfo, error) {
	var out []PlanInfo
	err := s.db.WithContext(ctx).Raw(`SELECT p.*, COALESCE(u.name, '') AS unit_name, COALESCE(t.n, 0) AS tasks
		FROM plans p
		LEFT JOIN units u ON u.id = p.unit_id
		LEFT JOIN (SELECT plan_id, COUNT(*) AS n FROM tasks GROUP BY plan_id) t ON t.plan_id = p.id
		ORDER BY p.id`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	return out, nil
}
