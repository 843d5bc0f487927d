package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// Menus publishes command menus; bot.Bot's SetCommands is one. It sets
// every menu it can and returns the failures together (a chat the person
// left refuses its menu).
type Menus interface {
	SetCommands(ctx context.Context, menus []outbound.Menu) error
}

var (
	// privateOrder is the order of a private chat's menu; offers says
	// which of them a person gets.
	privateOrder   = []string{"tasks", "task", "report", "digest", "overview", "overdue", "verify", "export", "notice", "result", "invite", "lang", "help", "cancel"}
	groupCommands  = []string{"digest", "help"}
	groupAdminCmds = []string{"digest", "group", "help"}
	// everyone's private menu, before Telegram knows better for a chat:
	// the officer's, the most common role and the least powerful one that
	// uses the bot daily.
	defaultPrivateActor = ledger.Actor{Roles: []ledger.Role{ledger.RoleOfficer}}
)

// menuLangs are the languages menus are set in: "" (any other client
// language) in Chinese, the bot's default, and zh and en explicitly.
var menuLangs = []struct {
	code string
	lang render.Lang
}{{"", render.LangZh}, {"zh", render.LangZh}, {"en", render.LangEn}}

// offers reports whether a's roles give them the private command name — the
// menus and /help list the same commands for the same person.
func offers(a ledger.Actor, name string) bool {
	officer, leader, admin := a.Has(ledger.RoleOfficer), a.Has(ledger.RoleLeader), a.Has(ledger.RoleAdmin)
	switch name {
	case "tasks":
		return officer || leader || admin
	case "report":
		return officer || admin
	case "digest":
		return leader || admin || a.Has(ledger.RoleViewer) || a.Has(ledger.RoleSupervisor)
	case "overdue", "export":
		return leader || admin || a.Has(ledger.RoleSupervisor)
	case "verify":
		return leader || admin
	case "notice", "invite", "result":
		return admin
	case "overview":
		return admin || a.Has(ledger.RoleSupervisor)
	}
	return true // task, lang, help, cancel
}

func privateCommands(a ledger.Actor) []string {
	var out []string
	for _, name := range privateOrder {
		if offers(a, name) {
			out = append(out, name)
		}
	}
	return out
}

// commandList describes commands from the catalogs (ids cmd_<name>).
func commandList(loc *render.Localizer, names []string) []outbound.Command {
	cmds := make([]outbound.Command, len(names))
	for i, n := range names {
		cmds[i] = outbound.Command{Name: n, Description: loc.T("cmd_"+n, nil)}
	}
	return cmds
}

// Menus lists the command menus of the scopes, set at start: private chats
// (the officer's menu, see defaultPrivateActor), groups, group admins, and
// the private chats of the configured admins.
func (h *Handler) Menus() []outbound.Menu {
	var out []outbound.Menu
	for _, l := range menuLangs {
		loc := render.NewLocalizer(l.lang)
		out = append(out,
			outbound.Menu{Scope: outbound.ScopePrivate, Language: l.code, Commands: commandList(loc, privateCommands(defaultPrivateActor))},
			outbound.Menu{Scope: outbound.ScopeGroups, Language: l.code, Commands: commandList(loc, groupCommands)},
			outbound.Menu{Scope: outbound.ScopeGroupAdmins, Language: l.code, Commands: commandList(loc, groupAdminCmds)})
	}
	admin := ledger.Actor{Roles: []ledger.Role{ledger.RoleAdmin}}
	for _, id := range h.d.Admins {
		out = append(out, chatMenus(id, admin)...)
	}
	return out
}

// chatMenus is one person's private-chat menu, by their roles, in every
// menu language.
func chatMenus(chatID int64, a ledger.Actor) []outbound.Menu {
	names := privateCommands(a)
	out := make([]outbound.Menu, 0, len(menuLangs))
	for _, l := range menuLangs {
		out = append(out, outbound.Menu{Scope: outbound.ScopeAdminChat, ChatID: chatID, Language: l.code,
			Commands: commandList(render.NewLocalizer(l.lang), names)})
	}
	return out
}

// PersonMenus sets the private-chat menu of every linked person whose menu
// by their roles is not the one last set (a configured admin's is in
// Menus): after a release changes a menu, or roles changed outside the bot.
// Three calls per person set, so the bot runs it beside taking updates
// rather than before; a restart with nothing changed makes no call.
func (h *Handler) PersonMenus(ctx context.Context) error {
	if h.d.Menus == nil {
		return nil
	}
	people, err := h.d.Store.LinkedPeople(ctx)
	if err != nil {
		return err
	}
	var failed int
	var first error
	fail := func(err error) {
		if failed++; first == nil {
			first = err
		}
	}
	for _, p := range people {
		if h.isConfigAdmin(p.TelegramUserID) {
			continue
		}
		menus := chatMenus(p.TelegramUserID, ledger.Actor{Roles: p.Roles})
		key := menusKey(menus)
		if key == p.MenuKey {
			continue
		}
		if err := h.d.Menus.SetCommands(ctx, menus); err != nil {
			fail(err) // tried again at the next start
			continue
		}
		if err := h.d.Store.SetMenuKey(ctx, p.PersonID, key); err != nil {
			fail(err)
		}
	}
	if failed > 0 {
		// One line, however many failed: a province has tens of thousands.
		return fmt.Errorf("the menus of %d people were not set (tried again at the next start); the first: %w", failed, first)
	}
	return nil
}

// menusKey is a digest of a person's menus: their commands and words in
// every language, so a release that changes either sets them again.
func menusKey(menus []outbound.Menu) string {
	h := sha256.New()
	for _, m := range menus {
		fmt.Fprintf(h, "%s\x00%s\x00", m.Scope, m.Language)
		for _, c := range m.Commands {
			fmt.Fprintf(h, "%s\x00%s\x00", c.Name, c.Description)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// setMenu sets the person's private-chat menu after their roles changed
// (they linked, or an invite gave them another role). A failure leaves the
// menu as it was: the commands still work, typed.
func (h *Handler) setMenu(ctx context.Context, r *request) {
	if h.d.Menus == nil {
		return
	}
	if err := h.d.Menus.SetCommands(ctx, chatMenus(r.userID, r.actor)); err != nil {
		h.d.Log.WarnContext(ctx, "set the person's menu", slog.Int64("user", r.userID), slog.Any("err", err))
	}
}
