package models_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// TestIdentify: the bot and the Mini App see a Telegram user alike — the
// linked officer with their roles and language; the configuration's admin,
// linked or not, with admin added; someone not linked with only the
// language they chose.
func TestIdentify(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	officer := e.task(t, "6(2)").OfficerID
	if err := e.db.Model(&models.Person{}).Where("id = ?", officer).
		Updates(map[string]any{"telegram_user_id": 1002, "lang": "en"}).Error; err != nil {
		t.Fatal(err)
	}
	if err := e.db.FirstOrCreate(&models.PersonRole{PersonID: officer, Role: string(ledger.RoleOfficer)}).Error; err != nil {
		t.Fatal(err)
	}
	if err := e.store.SetUserLanguage(ctx, 3003, "zh"); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name        string
		telegramID  int64
		configAdmin bool
		linked      bool
		roles       []ledger.Role
		lang        string
	}{
		{"linked officer", 1002, false, true, []ledger.Role{ledger.RoleOfficer}, "en"},
		{"linked officer named admin", 1002, true, true, []ledger.Role{ledger.RoleOfficer, ledger.RoleAdmin}, "en"},
		{"configured admin, not linked", 3003, true, false, []ledger.Role{ledger.RoleAdmin}, "zh"},
		{"stranger who chose", 3003, false, false, nil, "zh"},
		{"stranger", 4004, false, false, nil, ""},
	} {
		id, err := e.store.Identify(ctx, c.telegramID, c.configAdmin)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if (id.Member != nil) != c.linked || !slices.Equal(id.Actor.Roles, c.roles) || id.Lang != c.lang ||
			id.Known() != (c.linked || c.configAdmin) {
			t.Errorf("%s: member %v, roles %v, lang %q, known %v", c.name, id.Member != nil, id.Actor.Roles, id.Lang, id.Known())
		}
		if c.linked && id.Member.Person.ID != officer {
			t.Errorf("%s: person %d, want %d", c.name, id.Member.Person.ID, officer)
		}
	}
}
