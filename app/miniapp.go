package app

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/handlers"
	"github.com/rectibot/rectibot/miniapp"
	"github.com/rectibot/rectibot/render"
)

// mountMiniApp serves the dashboard at /app/ on the bot's listener, its
// approvals through the conversations' own path, its photos through the
// bot; with a public URL, the menu button beside every private chat's
// input opens it (without one, the menu button is the command list).
func mountMiniApp(ctx context.Context, o Options, b *bot.Bot, h *handlers.Handler) {
	b.Mount(miniapp.Path, miniapp.New(miniapp.Deps{
		Store: o.Store, Token: o.Telegram.Token, MaxAge: o.MiniApp.MaxAge, Admins: o.Admins,
		Light: o.Light, Calendar: o.Schedule.Calendar, Zone: o.Zone, Clock: o.Clock,
		Files: botFiles{b}, Decide: h, Send: h, Log: o.Log,
	}))
	label := render.NewLocalizer(render.DefaultLang).T("menu_button_dashboard", nil)
	if err := b.SetMenuButton(ctx, label, o.MiniApp.URL); err != nil {
		o.Log.WarnContext(ctx, "menu button not set", slog.Any("err", err))
	}
}

// botFiles is the bot's download as the Mini App asks for it.
type botFiles struct{ b *bot.Bot }

func (f botFiles) FetchFile(ctx context.Context, fileID string) (io.ReadCloser, string, error) {
	body, contentType, err := f.b.FetchFile(ctx, fileID)
	if errors.Is(err, bot.ErrFileGone) {
		return nil, "", miniapp.ErrFileGone
	}
	return body, contentType, err
}
