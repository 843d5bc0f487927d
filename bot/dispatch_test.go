package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/inbound"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

func msgUpdate(id int64, chat int64, text string) *models.Update {
	return &models.Update{ID: id, Message: &models.Message{ID: int(id), Chat: models.Chat{ID: chat, Type: "private"},
		From: &models.User{ID: chat}, Text: text}}
}

func TestDispatchReturnsTheHandlersErrorAsItIs(t *testing.T) {
	refused := fmt.Errorf("sendMessage: %w: Bad Request", outbound.ErrRejected)
	for _, want := range []error{nil, errTransient, refused} {
		m := NewMetrics()
		d := NewDispatcher(handlerFunc(func(context.Context, *inbound.Update) error { return want }), nil, m, quiet())
		err := d.Dispatch(context.Background(), msgUpdate(1, 1, "/tasks"))
		if !errors.Is(err, want) || (want == nil) != (err == nil) {
			t.Errorf("Dispatch = %v, want %v", err, want)
		}
		outcome := "ok"
		if want != nil {
			outcome = "error"
		}
		if v := metric(t, m, "rectibot_updates_total", map[string]string{"type": "command", "outcome": outcome}); v != 1 {
			t.Errorf("%v: %v updates counted %s, want 1", want, v, outcome)
		}
	}
	if !errors.Is(refused, outbound.ErrRejected) {
		t.Fatal("test set-up")
	}
}

func TestDispatchRecoversAPanicAndApologisesOnce(t *testing.T) {
	m := NewMetrics()
	sorry := &apologies{}
	calls := 0
	d := NewDispatcher(handlerFunc(func(_ context.Context, u *inbound.Update) error {
		calls++
		if u.ID == 5 {
			panic("nil map")
		}
		return nil
	}), sorry, m, quiet())
	if err := d.Dispatch(context.Background(), msgUpdate(5, 1, "整改完成")); err != nil {
		t.Fatalf("a panic is a bug, not a passing failure to retry: %v", err)
	}
	if got := sorry.all(); !slices.Equal(got, []int64{5}) {
		t.Errorf("apologies %v, want one for update 5", got)
	}
	if err := d.Dispatch(context.Background(), msgUpdate(6, 1, "谢谢")); err != nil || calls != 2 {
		t.Errorf("after the panic: %v, %d calls", err, calls)
	}
	if got := sorry.all(); len(got) != 1 {
		t.Errorf("apologies %v after a good update", got)
	}
	if v := metric(t, m, "rectibot_updates_total", map[string]string{"type": "message", "outcome": "panic"}); v != 1 {
		t.Errorf("%v panics counted, want 1", v)
	}
}

type panickyApology struct{}

func (panickyApology) Apologize(context.Context, *inbound.Update) { panic("the apology fails too") }

func TestAPanickingApologyIsRecoveredToo(t *testing.T) {
	d := NewDispatcher(handlerFunc(func(context.Context, *inbound.Update) error { panic("bug") }), panickyApology{}, NewMetrics(), quiet())
	if err := d.Dispatch(context.Background(), msgUpdate(1, 1, "x")); err != nil {
		t.Errorf("Dispatch = %v", err)
	}
	d = NewDispatcher(handlerFunc(func(context.Context, *inbound.Update) error { panic("bug") }), nil, NewMetrics(), quiet())
	if err := d.Dispatch(context.Background(), msgUpdate(1, 1, "x")); err != nil {
		t.Errorf("Dispatch without an apology = %v", err)
	}
}

func TestUpdatesAreSortedByChatAndKind(t *testing.T) {
	bot := &models.Message{ID: 3, Chat: models.Chat{ID: -100, Type: "supergroup"}}
	cases := []struct {
		name string
		u    models.Update
		chat int64
		kind dbmodels.UpdateKind
	}{
		{"command", *msgUpdate(1, 7, "/tasks"), 7, dbmodels.UpdateCommand},
		{"report", *msgUpdate(1, 7, "整改完成"), 7, dbmodels.UpdateMessage},
		{"album photo", models.Update{ID: 1, Message: &models.Message{Chat: models.Chat{ID: 7}, MediaGroupID: "g", Caption: "/x",
			Photo: []models.PhotoSize{{FileID: "f"}}}}, 7, dbmodels.UpdateMessage},
		{"press in a group", models.Update{ID: 1, CallbackQuery: &models.CallbackQuery{From: models.User{ID: 9},
			Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: bot}}}, -100, dbmodels.UpdateCallback},
		{"press on an old message", models.Update{ID: 1, CallbackQuery: &models.CallbackQuery{From: models.User{ID: 9}}}, 9, dbmodels.UpdateCallback},
		{"bot added", models.Update{ID: 1, MyChatMember: &models.ChatMemberUpdated{Chat: models.Chat{ID: -5}}}, -5, dbmodels.UpdateMember},
		{"edit", models.Update{ID: 1, EditedMessage: &models.Message{Chat: models.Chat{ID: 8}}}, 8, dbmodels.UpdateOther},
	}
	for _, c := range cases {
		if chat, kind := chatOf(&c.u), kindOf(&c.u); chat != c.chat || kind != c.kind {
			t.Errorf("%s: chat %d kind %s, want %d %s", c.name, chat, kind, c.chat, c.kind)
		}
		if c.kind.Droppable() != (c.kind == dbmodels.UpdateCommand || c.kind == dbmodels.UpdateCallback) {
			t.Errorf("%s: droppable %v", c.name, c.kind.Droppable())
		}
	}
}
