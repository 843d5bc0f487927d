package handlers

import (
	"cmp"
	"context"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

// inviteTTL is how long a link made from the bot stays valid: long enough
// to reach someone over a weekend, short enough that a forgotten link dies.
const inviteTTL = 72 * time.Hour

// invitePeoplePerPage keeps the person buttons on one phone screen.
const invitePeoplePerPage = 8

// inviteRoles are offered in this order: the common case first.
var inviteRoles = []ledger.Role{ledger.RoleOfficer, ledger.RoleLeader, ledger.RoleAdmin, ledger.RoleViewer}

// invite is /invite [name]: an admin picks a person, then a role, and gets
// a one-time deep link to hand over. Every step is a button press, so no
// dialogue state is needed; each press re-checks that the presser is still
// an admin. With a name, the people whose name contains it are listed
// (the installation's admins find a unit's people so: a province's list
// is too long to page through).
func (h *Handler) invite(ctx context.Context, r *request, name string) error {
	if !mayInvite(r) {
		return h.say(ctx, r, r.t("not_allowed", nil))
	}
	var (
		text string
		kb   outbound.Keyboard
		err  error
	)
	if name = strings.TrimSpace(name); name != "" {
		text, kb, err = h.inviteSearch(ctx, r, name)
	} else {
		text, kb, err = h.invitePage(ctx, r, 0)
	}
	if err != nil {
		return h.fail(ctx, r, err)
	}
	_, err = h.send(ctx, r, outbound.Message{Text: text, Keyboard: kb, Kind: outbound.KindInvite})
	return err
}

func mayInvite(r *request) bool { return ledger.Authorize(r.actor, ledger.ActInvite, nil) == nil }

// invitePressAllowed re-checks a press now: the presser must still be an
// admin, and the press must come from a private chat — a code shown in a
// group would be seen by everyone there.
func (h *Handler) invitePressAllowed(ctx context.Context, r *request) bool {
	switch {
	case !r.private:
		h.answer(ctx, r, r.t("button_unknown", nil))
	case !mayInvite(r):
		h.answer(ctx, r, r.t("not_allowed", nil))
	default:
		return true
	}
	return false
}

// onInvitePerson is a press on the person list: "ip:0:p<page>" turns the
// page, "ip:<person>" picks the person and asks for the role.
func (h *Handler) onInvitePerson(ctx context.Context, r *request, c callbackData) error {
	if !h.invitePressAllowed(ctx, r) {
		return nil
	}
	if c.ID == 0 {
		page, ok := parsePage(c.Arg)
		if !ok {
			h.answer(ctx, r, r.t("button_unknown", nil))
			return nil
		}
		text, kb, err := h.invitePage(ctx, r, page)
		if err != nil {
			h.d.Log.ErrorContext(ctx, "invite page", slog.Any("err", err))
			h.answer(ctx, r, r.t("try_later", nil))
			return nil
		}
		h.answer(ctx, r, "")
		return h.edit(ctx, r, text, kb)
	}
	if c.Arg != "" {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	p, ok := h.invitee(ctx, r, c.ID)
	if !ok {
		return nil
	}
	showUnit, err := h.severalUnits(ctx, r)
	if err != nil {
		h.d.Log.ErrorContext(ctx, "count units", slog.Any("err", err))
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	lines := []string{r.t("invite_pick_role", map[string]any{"Name": esc(p.Name), "Where": esc(personPlace(r, p, showUnit))})}
	if p.TelegramLinked {
		// Redeeming a new invite moves the person to the new account: say
		// so before the admin hands a link to someone else.
		lines = append(lines, "", r.t("invite_relink_note", map[string]any{"Name": esc(p.Name)}))
	}
	var kb outbound.Keyboard
	row := []outbound.Button{}
	for _, role := range inviteRolesFor(r, p) {
		row = append(row, outbound.Button{Text: r.t("role_"+string(role), nil), Data: cb(cbInviteRole, p.ID, string(role))})
		if len(row) == 2 {
			kb, row = append(kb, row), []outbound.Button{}
		}
	}
	if len(row) > 0 {
		kb = append(kb, row)
	}
	kb = append(kb, []outbound.Button{{Text: "◀ " + r.t("invite_back", nil), Data: cb(cbInvitePick, 0, "p0")}})
	h.answer(ctx, r, "")
	return h.edit(ctx, r, joinLines(lines), kb)
}

// onInviteRole is "ir:<person>:<role>": make the invite and show its link,
// once — only the code's hash is stored. The message loses its buttons, so
// a second press cannot come from it.
func (h *Handler) onInviteRole(ctx context.Context, r *request, c callbackData) error {
	if !h.invitePressAllowed(ctx, r) {
		return nil
	}
	role := ledger.Role(c.Arg)
	if c.ID == 0 || !role.Valid() {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	p, ok := h.invitee(ctx, r, c.ID)
	if !ok {
		return nil
	}
	if !slices.Contains(inviteRolesFor(r, p), role) {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	code, inv, err := h.d.Store.CreateInvite(ctx, dbmodels.PersonRef{ID: p.ID}, role, inviteTTL, r.auditActor())
	if err != nil {
		h.d.Log.ErrorContext(ctx, "create invite", slog.Any("err", err))
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	loc := defaultZone() // invites belong to no plan: the installation's zone
	data := map[string]any{
		"Name": esc(p.Name), "Role": r.t("role_"+string(role), nil),
		"Until": r.loc.Time(inv.ExpiresAt.In(loc)), "Zone": zoneLabel(r, loc),
	}
	text := r.t("invite_created", data) + "\n\n"
	if bot := h.botUsername(); bot != "" {
		text += "<code>" + esc(inviteLink(bot, code)) + "</code>\n\n" + r.t("invite_hand_over", nil)
	} else {
		// serve learns its username from getMe; without it, the code still
		// works typed as "/start CODE".
		text += r.t("invite_code_only", map[string]any{"Command": "<code>/start " + esc(code) + "</code>"})
	}
	h.answer(ctx, r, "")
	return h.edit(ctx, r, text, nil)
}

// inviteRolesFor is the roles offered for p, and the only ones a press may
// grant: the supervisor role (巡察办) only by the installation's admins, to
// a person above the units.
func inviteRolesFor(r *request, p dbmodels.PersonInfo) []ledger.Role {
	if r.actor.UnitID == 0 && p.UnitID == 0 {
		return append(slices.Clone(inviteRoles), ledger.RoleSupervisor)
	}
	return inviteRoles
}

// invitee loads the person a press names, within the presser's unit for a
// unit's admin (checked now, at the press). A press that names nobody they
// may invite (a forged id, a person of another unit, a person removed
// since) is answered alike, saying nothing of another unit, and gives
// false.
func (h *Handler) invitee(ctx context.Context, r *request, personID uint) (dbmodels.PersonInfo, bool) {
	people, err := h.d.Store.PeopleBy(ctx, dbmodels.PeopleFilter{PersonID: personID, UnitID: r.actor.UnitID})
	if err != nil {
		h.d.Log.ErrorContext(ctx, "list people", slog.Any("err", err))
		h.answer(ctx, r, r.t("try_later", nil))
		return dbmodels.PersonInfo{}, false
	}
	if len(people) == 1 {
		return people[0], true
	}
	h.answer(ctx, r, r.t("invite_person_unknown", nil))
	return dbmodels.PersonInfo{}, false
}

// severalUnits says whether people are shown with their unit: to the
// installation's admins (who list every unit) when there are several.
func (h *Handler) severalUnits(ctx context.Context, r *request) (bool, error) {
	if r.actor.UnitID != 0 {
		return false, nil
	}
	n, err := h.d.Store.CountUnits(ctx)
	return n > 1, err
}

// invitePage lists the people by unit, department then name, with their
// roles and whether they have linked Telegram, one button each. A unit's
// admin (its 整改办) lists and invites the people of their unit only. The
// installation's admins list everyone while there is one unit; with
// several, the people above the units (巡察办, the office), and find a
// unit's people by name (inviteSearch).
func (h *Handler) invitePage(ctx context.Context, r *request, page int) (string, outbound.Keyboard, error) {
	showUnit, err := h.severalUnits(ctx, r)
	if err != nil {
		return "", nil, err
	}
	people, err := h.d.Store.PeopleBy(ctx, dbmodels.PeopleFilter{UnitID: r.actor.UnitID, AboveUnits: showUnit})
	if err != nil {
		return "", nil, err
	}
	head := []string{"<b>" + r.t("invite_title", nil) + "</b>", r.t("invite_pick_person", nil)}
	if showUnit {
		head = []string{"<b>" + r.t("invite_title", nil) + "</b>", r.t("invite_above_units_list", nil), r.t("invite_search_hint", nil)}
		if len(people) == 0 {
			return joinLines(append(head, "", r.t("invite_none_above_units", nil))), nil, nil
		}
	}
	if len(people) == 0 {
		return r.t("invite_no_people", nil), nil, nil
	}
	pages := (len(people) + invitePeoplePerPage - 1) / invitePeoplePerPage
	page = min(max(page, 0), pages-1)
	lines, kb := invitePeopleLines(r, people[page*invitePeoplePerPage:min(len(people), (page+1)*invitePeoplePerPage)], showUnit)
	lines = append(append(head, ""), lines...)
	if pages > 1 {
		lines = append(lines, "", r.t("page_of", map[string]any{"Page": page + 1, "Pages": pages}))
		kb = append(kb, pageButtons(r, page, pages, func(p int) string { return cb(cbInvitePick, 0, "p"+strconv.Itoa(p)) }))
	}
	return joinLines(lines), kb, nil
}

// inviteSearch lists the people, within the admin's reach, whose name
// contains name: one screen of them, and a word to be more precise when
// more match.
func (h *Handler) inviteSearch(ctx context.Context, r *request, name string) (string, outbound.Keyboard, error) {
	people, err := h.d.Store.PeopleBy(ctx, dbmodels.PeopleFilter{UnitID: r.actor.UnitID, Name: name})
	if err != nil {
		return "", nil, err
	}
	if len(people) == 0 {
		return r.t("invite_search_none", map[string]any{"Name": esc(name)}), nil, nil
	}
	showUnit, err := h.severalUnits(ctx, r)
	if err != nil {
		return "", nil, err
	}
	lines, kb := invitePeopleLines(r, people[:min(len(people), invitePeoplePerPage)], showUnit)
	lines = append([]string{"<b>" + r.t("invite_title", nil) + "</b>", r.t("invite_pick_person", nil), ""}, lines...)
	if len(people) > invitePeoplePerPage {
		lines = append(lines, "", r.t("invite_search_more", map[string]any{"Count": len(people), "Shown": invitePeoplePerPage}))
	}
	return joinLines(lines), kb, nil
}

// invitePeopleLines is a line and a button per person.
func invitePeopleLines(r *request, people []dbmodels.PersonInfo, showUnit bool) ([]string, outbound.Keyboard) {
	var (
		lines []string
		kb    outbound.Keyboard
	)
	for _, p := range people {
		linked := r.t("invite_unlinked", nil)
		if p.TelegramLinked {
			linked = r.t("invite_linked", nil)
		}
		where := personPlace(r, p, showUnit)
		lines = append(lines, r.t("invite_person_line", map[string]any{
			"Name": esc(p.Name), "Where": esc(short(where, 30)), "Roles": personRoles(r, p), "Linked": linked,
		}))
		kb = append(kb, []outbound.Button{{Text: short(p.Name+" · "+where, 30), Data: cb(cbInvitePick, p.ID, "")}})
	}
	return lines, kb
}

// personWhere places a person: an officer's department, or what a leader
// leads.
func personWhere(r *request, p dbmodels.PersonInfo) string {
	switch {
	case p.Department != "":
		return p.Department
	case p.SeesAll:
		return r.t("invite_leads_all", nil)
	case len(p.Leads) > 0:
		return r.t("invite_leads", map[string]any{"Departments": joinList(r, p.Leads)})
	}
	return r.t("invite_no_department", nil)
}

// personPlace is personWhere, after the person's unit when units are shown
// (above the units: the supervisors' office).
func personPlace(r *request, p dbmodels.PersonInfo, showUnit bool) string {
	if !showUnit {
		return personWhere(r, p)
	}
	unit := cmp.Or(p.UnitShort, p.Unit)
	if unit == "" {
		return r.t("invite_above_units", nil) + " · " + personWhere(r, p)
	}
	return unit + " · " + personWhere(r, p)
}

func personRoles(r *request, p dbmodels.PersonInfo) string {
	var names []string
	for _, role := range p.Roles {
		if ledger.Role(role).Valid() {
			names = append(names, r.t("role_"+role, nil))
		}
	}
	if len(names) == 0 {
		return r.t("invite_no_role", nil)
	}
	return joinList(r, names)
}

// parsePage reads "p<page>".
func parsePage(arg string) (int, bool) {
	s, ok := strings.CutPrefix(arg, "p")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// inviteLink is the deep link that opens the bot with /start CODE.
func inviteLink(bot, code string) string {
	return "https://t.me/" + url.PathEscape(bot) + "?start=" + url.QueryEscape(code)
}

// zoneLabel names a time zone the way people say it.
func zoneLabel(r *request, loc *time.Location) string {
	if loc.String() == dbmodels.DefaultTimeZone {
		return r.t("zone_beijing", nil)
	}
	return loc.String()
}
