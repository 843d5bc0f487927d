package handlers

import (
	"context"
	"errors"
	"strconv"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// overviewPerPage keeps a page of /overview, and a button per unit, on one
// screen; the province's thousands of units page through.
const overviewPerPage = 10

// overview is /overview: the units the person reads, ranked by on-time
// rate (红黄榜), each with a button that opens the unit's digest. It is the
// supervisors' (巡察办) and the installation's admins'. A unit's admin
// (整改办) holds every action, so Authorize lets them through, and their
// reach is their unit: they get their own unit's line — the figures the
// supervisors rank them by, and nothing of any other unit. That is more
// use to them than a refusal, and tells no more than their own /digest.
func (h *Handler) overview(ctx context.Context, r *request, _ string) error {
	if err := ledger.Authorize(r.actor, ledger.ActViewOverview, nil); err != nil {
		return h.say(ctx, r, r.t("overview_not_allowed", nil))
	}
	text, kb, err := h.overviewPage(ctx, r, 0)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	_, err = h.send(ctx, r, outbound.Message{Text: text, Keyboard: kb, Kind: outbound.KindDigest})
	return err
}

// overviewPage is one page of the ranking, with a button per unit on it
// and the paging buttons.
func (h *Handler) overviewPage(ctx context.Context, r *request, page int) (string, outbound.Keyboard, error) {
	reach := ledger.ReadReach(r.actor)
	ov, err := h.d.Store.Overview(ctx, h.today(nil), reach.Units, h.d.Light)
	if err != nil {
		return "", nil, err
	}
	pages := max(1, (len(ov.Units)+overviewPerPage-1)/overviewPerPage)
	page = min(max(page, 0), pages-1)
	from, to := page*overviewPerPage, min(len(ov.Units), (page+1)*overviewPerPage)
	text := render.OverviewPage(ov, r.loc.Lang(), render.FormatHTML, from, to)
	if len(ov.Units) == 0 {
		return text, h.dashboardRow(r, nil), nil
	}
	text += "\n" + r.t("overview_open_hint", nil)
	var kb outbound.Keyboard
	for i := from; i < to; i += 2 {
		var row []outbound.Button
		for j := i; j < min(i+2, to); j++ {
			u := ov.Units[j]
			row = append(row, outbound.Button{Text: strconv.Itoa(j+1) + ". " + short(render.UnitName(r.loc, u), 16), Data: cb(cbOverview, u.UnitID, "")})
		}
		kb = append(kb, row)
	}
	if pages > 1 {
		text += "\n" + r.t("page_of", map[string]any{"Page": page + 1, "Pages": pages})
		kb = append(kb, pageButtons(r, page, pages, func(p int) string { return cb(cbOverview, 0, "p"+strconv.Itoa(p)) }))
	}
	return text, h.dashboardRow(r, kb), nil
}

// onOverview answers a press on /overview: ov:0:p<page> turns the page in
// place; ov:<unit> sends that unit's digest. Both re-check now that the
// person may read the overview and, for a unit, that it is one of theirs
// (a forged or stale press of another unit is refused, saying nothing of
// it). /overview is private: a press in a group (forged: no group message
// has these buttons) would send a unit's digest to everyone there.
func (h *Handler) onOverview(ctx context.Context, r *request, c callbackData) error {
	if err := ledger.Authorize(r.actor, ledger.ActViewOverview, nil); err != nil || !r.private {
		h.answer(ctx, r, r.t("not_allowed", nil))
		return nil
	}
	if c.ID == 0 {
		page, ok := parsePage(c.Arg)
		if !ok {
			h.answer(ctx, r, r.t("button_unknown", nil))
			return nil
		}
		text, kb, err := h.overviewPage(ctx, r, page)
		if err != nil {
			h.answer(ctx, r, r.t("try_later", nil))
			return nil
		}
		h.answer(ctx, r, "")
		return h.edit(ctx, r, text, kb)
	}
	if !r.actor.InUnit(c.ID) {
		h.answer(ctx, r, r.t("not_allowed", nil))
		return nil
	}
	unit, err := h.d.Store.UnitByID(ctx, c.ID)
	switch {
	case errors.Is(err, dbmodels.ErrNotFound):
		h.answer(ctx, r, r.t("overview_unit_gone", nil))
		return nil
	case err != nil:
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	h.answer(ctx, r, "")
	return h.sendUnitDigest(ctx, r, unit)
}

// sendUnitDigest sends one unit's whole digest, headed by the unit's name.
func (h *Handler) sendUnitDigest(ctx context.Context, r *request, unit dbmodels.Unit) error {
	filter := dbmodels.DigestFilter{Reach: &ledger.Reach{Units: []uint{unit.ID}, All: true}}
	d, err := h.d.Store.Digest(ctx, filter, h.today(nil), h.d.Light)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	d.PlanTitle, d.Calendar = unit.Name, h.d.Calendar
	for _, page := range render.DigestPages(d, r.loc.Lang(), render.FormatHTML, render.TelegramMaxText) {
		if _, err := h.send(ctx, r, outbound.Message{Text: page, Kind: outbound.KindDigest}); err != nil {
			return err
		}
	}
	return nil
}
