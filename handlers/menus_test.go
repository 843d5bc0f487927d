package handlers_test

import (
	"slices"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// commandNames lists a menu as the fake holds it.
func commandNames(cmds []models.BotCommand) []string {
	out := make([]string, len(cmds))
	for i, c := range cmds {
		out[i] = c.Command
	}
	return out
}

// TestMenusFollowTheRoles: private chats by default get the officer's
// menu; linking sets the person's own chat menu by role, in every menu
// language; at start every linked person's menu is set.
func TestMenusFollowTheRoles(t *testing.T) {
	h := newHarness(t)
	if err := h.bot.SetCommands(h.ctx, h.handler.Menus()); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"", "zh", "en"} {
		def := commandNames(h.fake.Commands("all_private_chats", lang))
		if !slices.Contains(def, "report") || slices.Contains(def, "verify") || slices.Contains(def, "export") {
			t.Errorf("default private menu (%q): %v", lang, def)
		}
		if admin := commandNames(h.fake.Commands("chat:9001", lang)); !slices.Contains(admin, "invite") {
			t.Errorf("configured admin's menu (%q): %v", lang, admin)
		}
	}

	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: "纪检观察员", Role: ledger.RoleViewer}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	h.link("纪检观察员", viewerID, ledger.RoleViewer)
	for _, lang := range []string{"", "zh", "en"} {
		officer := commandNames(h.fake.Commands("chat:1001", lang))
		if !slices.Contains(officer, "report") || !slices.Contains(officer, "tasks") ||
			slices.Contains(officer, "verify") || slices.Contains(officer, "export") {
			t.Errorf("officer's menu (%q): %v", lang, officer)
		}
		leader := commandNames(h.fake.Commands("chat:2001", lang))
		if !slices.Contains(leader, "verify") || !slices.Contains(leader, "export") || !slices.Contains(leader, "overdue") ||
			slices.Contains(leader, "report") || slices.Contains(leader, "invite") {
			t.Errorf("leader's menu (%q): %v", lang, leader)
		}
		viewer := commandNames(h.fake.Commands("chat:3001", lang))
		if !slices.Contains(viewer, "digest") || slices.Contains(viewer, "tasks") || slices.Contains(viewer, "verify") {
			t.Errorf("viewer's menu (%q): %v", lang, viewer)
		}
	}
	if en, zh := h.fake.Commands("chat:2001", "en"), h.fake.Commands("chat:2001", "zh"); len(en) == 0 || en[0].Description == zh[0].Description {
		t.Errorf("the English menu is not in English: %+v", en)
	}

	// A person linked while the bot was down (no /start seen) gets their
	// menu at start.
	h.fake.AddUser(models.User{ID: politLead, FirstName: "政治部主任", LanguageCode: "zh-hans"})
	code, _, err := h.store.CreateInvite(h.ctx, dbmodels.PersonRef{Name: "政治部主任"}, ledger.RoleLeader, time.Hour, dbmodels.CLIActor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.RedeemInvite(h.ctx, code, politLead); err != nil {
		t.Fatal(err)
	}
	if got := h.fake.Commands("chat:2002", "zh"); len(got) != 0 {
		t.Fatalf("a menu before start: %v", commandNames(got))
	}
	if err := h.handler.PersonMenus(h.ctx); err != nil {
		t.Fatal(err)
	}
	if got := commandNames(h.fake.Commands("chat:2002", "zh")); !slices.Contains(got, "verify") || slices.Contains(got, "report") {
		t.Errorf("leader's menu set at start: %v", got)
	}
	h.noRejections()
}

// TestMenusAreSetAtStartOnlyWhenChanged: a restart with nothing changed
// calls Telegram for nobody's menu; a role granted outside the bot (the
// command line) is set at the next start.
func TestMenusAreSetAtStartOnlyWhenChanged(t *testing.T) {
	h := newHarness(t)
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	h.link("政治部主任", politLead, ledger.RoleLeader)
	if err := h.handler.PersonMenus(h.ctx); err != nil {
		t.Fatal(err)
	}
	before := h.fake.Calls("setMyCommands")
	if err := h.handler.PersonMenus(h.ctx); err != nil {
		t.Fatal(err)
	}
	if n := h.fake.Calls("setMyCommands") - before; n != 0 {
		t.Errorf("a start with nothing changed set %d menus", n)
	}
	// 黄敏 becomes a leader too, outside the bot.
	var p dbmodels.Person
	if err := h.store.DB().Where("telegram_user_id = ?", huangMin).Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	if err := h.store.DB().Create(&dbmodels.PersonRole{PersonID: p.ID, Role: string(ledger.RoleLeader)}).Error; err != nil {
		t.Fatal(err)
	}
	if err := h.handler.PersonMenus(h.ctx); err != nil {
		t.Fatal(err)
	}
	if n := h.fake.Calls("setMyCommands") - before; n != 3 {
		t.Errorf("the changed menu took %d calls, want 3 (its languages)", n)
	}
	if got := commandNames(h.fake.Commands("chat:1002", "zh")); !slices.Contains(got, "verify") {
		t.Errorf("黄敏's menu after becoming a leader: %v", got)
	}
}
