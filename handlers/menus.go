package handlers

import (
	"github.com/rectibot/rectibot/render"
)

// Scopes of a command menu (Telegram's BotCommandScope).
const (
	ScopePrivate     = "all_private_chats"
	ScopeGroups      = "all_group_chats"
	ScopeGroupAdmins = "all_chat_administrators"
	ScopeAdminChat   = "chat" // the private chat of a configured admin
)

// Command is one entry of the menu Telegram shows.
type Command struct{ Name, Description string }

// Menu is the command list of one scope in one language ("" = the default,
// Chinese, for clients in any other language).
type Menu struct {
	Scope    string
	ChatID   int64 // for ScopeAdminChat
	Language string
	Commands []Command
}

var (
	privateCommands = []string{"tasks", "task", "report", "digest", "overdue", "verify", "export", "lang", "help", "cancel"}
	adminCommands   = append(append([]string{}, privateCommands...), "invite")
	groupCommands   = []string{"digest", "help"}
	groupAdminCmds  = []string{"digest", "group", "help"}
)

// Menus lists the command menus to set at start: per scope and language,
// descriptions from the catalogs (ids cmd_<name>).
func (h *Handler) Menus() []Menu {
	var out []Menu
	for _, lang := range []struct {
		code string
		loc  *render.Localizer
	}{{"", render.NewLocalizer(render.LangZh)}, {"zh", render.NewLocalizer(render.LangZh)}, {"en", render.NewLocalizer(render.LangEn)}} {
		list := func(names []string) []Command {
			cmds := make([]Command, len(names))
			for i, n := range names {
				cmds[i] = Command{Name: n, Description: lang.loc.T("cmd_"+n, nil)}
			}
			return cmds
		}
		out = append(out,
			Menu{Scope: ScopePrivate, Language: lang.code, Commands: list(privateCommands)},
			Menu{Scope: ScopeGroups, Language: lang.code, Commands: list(groupCommands)},
			Menu{Scope: ScopeGroupAdmins, Language: lang.code, Commands: list(groupAdminCmds)})
		for _, id := range h.d.Admins {
			out = append(out, Menu{Scope: ScopeAdminChat, ChatID: id, Language: lang.code, Commands: list(adminCommands)})
		}
	}
	return out
}
