package sandbox

import (
	"context"
	"strconv"
)

// The bot sets each person's private-chat menu by their roles
// (BotCommandScopeChat): an officer's lists /report, a leader's /verify. The
// page shows the menu of the persona acting, as Telegram would show it to
// them, and the groups' menu in the group.

// menuLang is the language of the menus the page shows: the personas'
// clients are set to Chinese (see startBot).
const menuLang = "zh"

// personaMenus is each persona's private-chat menu, by persona key.
func (w *world) personaMenus() map[string][]commandView {
	out := make(map[string][]commandView, len(personas))
	for _, p := range personas {
		out[p.Key] = w.menu(chatScope(p.UserID), "all_private_chats")
	}
	return out
}

// menu is the menu of the first scope set in Chinese, or in no language
// (the menu every other client sees); empty when none is set.
func (w *world) menu(scopes ...string) []commandView {
	for _, scope := range scopes {
		for _, lang := range []string{menuLang, ""} {
			if cmds := w.fake.Commands(scope, lang); len(cmds) > 0 {
				out := make([]commandView, len(cmds))
				for i, c := range cmds {
					out[i] = commandView{Command: c.Command, Description: c.Description}
				}
				return out
			}
		}
	}
	return []commandView{}
}

func chatScope(chat int64) string { return "chat:" + strconv.FormatInt(chat, 10) }

// menusSet waits until every persona's own menu is set: the bot sets them
// beside taking updates (app.Serve), and the first screen shows them.
// English is the last of a person's menus the bot sets.
func (w *world) menusSet(ctx context.Context) error {
	return w.wait(ctx, "the personas' menus", func() (bool, error) {
		for _, p := range personas {
			if len(w.fake.Commands(chatScope(p.UserID), "en")) == 0 {
				return false, nil
			}
		}
		return true, nil
	})
}
