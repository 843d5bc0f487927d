package handlers

import (
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

var (
	privateCommands = []string{"tasks", "task", "report", "digest", "overdue", "verify", "export", "lang", "help", "cancel"}
	adminCommands   = append(append([]string{}, privateCommands...), "invite", "notice")
	groupCommands   = []string{"digest", "help"}
	groupAdminCmds  = []string{"digest", "group", "help"}
)

// Menus lists the command menus to set at start: per scope and language,
// descriptions from the catalogs (ids cmd_<name>).
func (h *Handler) Menus() []outbound.Menu {
	var out []outbound.Menu
	for _, lang := range []struct {
		code string
		loc  *render.Localizer
	}{{"", render.NewLocalizer(render.LangZh)}, {"zh", render.NewLocalizer(render.LangZh)}, {"en", render.NewLocalizer(render.LangEn)}} {
		list := func(names []string) []outbound.Command {
			cmds := make([]outbound.Command, len(names))
			for i, n := range names {
				cmds[i] = outbound.Command{Name: n, Description: lang.loc.T("cmd_"+n, nil)}
			}
			return cmds
		}
		out = append(out,
			outbound.Menu{Scope: outbound.ScopePrivate, Language: lang.code, Commands: list(privateCommands)},
			outbound.Menu{Scope: outbound.ScopeGroups, Language: lang.code, Commands: list(groupCommands)},
			outbound.Menu{Scope: outbound.ScopeGroupAdmins, Language: lang.code, Commands: list(groupAdminCmds)})
		for _, id := range h.d.Admins {
			out = append(out, outbound.Menu{Scope: outbound.ScopeAdminChat, ChatID: id, Language: lang.code, Commands: list(adminCommands)})
		}
	}
	return out
}
