package handlers

import (
	"context"
	"errors"
	"slices"

	dbmodels "github.com/rectibot/rectibot/models"
)

// supervisorsGroupArgs make a group the supervisors' (above the units):
// /group 巡察办.
var supervisorsGroupArgs = []string{"巡察办", "supervisors"}

// bindGroup decides the unit a group follows (SPEC §1, issue 11: a group is
// bound to one unit, or to the supervisors, and hears of that only).
//
// A unit's admin (its 整改办) registers their unit's groups: the group
// follows their unit, whatever they type. The installation's admins name
// the unit as /group UNIT (full or short name) — typed, not picked from
// buttons, because a province has thousands of units and a message holds
// at most 100 buttons. Plain /group by them binds a new group to the one
// unit there is, or, with several, to none: the supervisors' group, what
// an admin above the units most likely keeps. /group UNIT on a registered
// group moves it (its department choice, of the old unit, is cleared);
// /group 巡察办 makes it the supervisors'.
//
// rebound says the unit changed; refusal is the answer when the argument
// names no unit the admin may bind.
func (h *Handler) bindGroup(ctx context.Context, r *request, g *dbmodels.GroupSettings, isNew bool, arg string, several bool) (rebound bool, refusal string, err error) {
	if r.actor.UnitID != 0 {
		if arg != "" {
			u, err := h.d.Store.FindUnit(ctx, arg)
			if err != nil && !errors.Is(err, dbmodels.ErrNotFound) && !errors.Is(err, dbmodels.ErrAmbiguous) {
				return false, "", err
			}
			if err != nil || u.ID != r.actor.UnitID {
				return false, r.t("group_unit_own_only", nil), nil
			}
		}
		if isNew {
			g.UnitID = r.actor.UnitID
		}
		return false, "", nil
	}
	switch {
	case arg == "" && isNew && !several:
		// One unit (or none yet): the group follows it, as the migration
		// bound the groups of a one-unit installation.
		units, err := h.d.Store.Units(ctx)
		if err != nil {
			return false, "", err
		}
		if len(units) == 1 {
			g.UnitID = units[0].ID
		}
	case arg == "":
	case slices.Contains(supervisorsGroupArgs, arg):
		rebound = g.UnitID != 0
		if rebound {
			g.UnitID, g.DepartmentIDs = 0, nil
		}
	default:
		u, err := h.d.Store.FindUnit(ctx, arg)
		switch {
		case errors.Is(err, dbmodels.ErrNotFound), errors.Is(err, dbmodels.ErrAmbiguous):
			return false, r.t("group_unit_unknown", map[string]any{"Unit": esc(arg)}), nil
		case err != nil:
			return false, "", err
		}
		rebound = u.ID != g.UnitID
		if rebound {
			g.UnitID, g.DepartmentIDs = u.ID, nil
		}
	}
	if isNew && g.UnitID == 0 && several {
		// The supervisors' group would hear every closure of every unit (a
		// province has thousands a week): it starts with digests only, and
		// may switch closures on.
		g.Closures = false
	}
	return rebound, "", nil
}

// groupDepartments are the departments a group may follow: its unit's.
// A group above the units follows units, not departments: it is offered
// only those it already follows (chosen before units existed), to clear
// them — unless the installation has one unit, whose departments they are.
func (h *Handler) groupDepartments(ctx context.Context, g dbmodels.GroupSettings, several bool) ([]dbmodels.Department, error) {
	switch {
	case g.UnitID != 0:
		return h.d.Store.DepartmentsOf(ctx, g.UnitID)
	case several:
		return h.d.Store.DepartmentsByID(ctx, g.DepartmentIDs)
	}
	return h.d.Store.Departments(ctx)
}

// groupUnitLine says which unit the group follows, when there are several
// to tell apart; the installation's admins also learn how to change it.
func groupUnitLine(r *request, g dbmodels.GroupSettings, several bool) string {
	if !several {
		return ""
	}
	line := r.t("group_unit_none", nil)
	if g.UnitID != 0 {
		line = r.t("group_unit", map[string]any{"Unit": esc(g.UnitName)})
	}
	if r.actor.UnitID == 0 {
		line += "\n" + r.t("group_unit_hint", nil)
	}
	return line
}
