package sandbox

import "github.com/rectibot/rectibot/ledger"

// Persona is one of the people the page lets a visitor act as. Their
// Telegram user id is also their private chat's id, as on Telegram.
type Persona struct {
	Key      string      `json:"key"`
	Name     string      `json:"name"`
	Role     ledger.Role `json:"role"`
	RoleText string      `json:"roleText"`
	UserID   int64       `json:"userId"`
	// Unit is the unit the persona belongs to (its full name); "" is above
	// the units (the 巡察办).
	Unit string `json:"unit"`
	// added: no ledger names the persona; the sandbox adds them as
	// `rectibot people add` would (see addPersonas).
	added bool
}

// The admin is Dongguan's 整改办, the unit's admin: their digests, lists
// and escalations are the case's alone, as the story tells it. The
// installation has no configured admin (RECTIBOT_ADMINS): nothing in the
// story needs one above the units.
const adminID int64 = 9001

// supervisorID is the 巡察办's: above the units, reading both, changing
// nothing. It is in no unit's group.
const supervisorID int64 = 3001

// The group every persona is in, registered for digests, closures and
// escalations. A basic group id: the fake makes ids at or below -10¹²
// supergroups, and nothing here depends on the difference.
const (
	groupID    int64 = -100777
	groupTitle       = "整改工作群"
)

// botUsername is the sandbox bot's @username (invite links, /cmd@bot).
const botUsername = "zhenggai_sandbox_bot"

// personas are the contract's, in the order the page shows them. The
// ledger names come from the Dongguan fixture: leader1 leads 周杰's and
// 黄敏's departments, leader2 刘洋's. The supervisor comes last.
var personas = []Persona{
	{Key: "admin", Name: "督办管理员", Role: ledger.RoleAdmin, RoleText: "督办管理员", UserID: adminID, Unit: dongguanUnit, added: true},
	{Key: "leader1", Name: "分管社会治理副书记", Role: ledger.RoleLeader, RoleText: "责任领导", UserID: 2001, Unit: dongguanUnit},
	{Key: "leader2", Name: "政治部主任", Role: ledger.RoleLeader, RoleText: "责任领导", UserID: 2002, Unit: dongguanUnit},
	{Key: "officer1", Name: "周杰", Role: ledger.RoleOfficer, RoleText: "责任人", UserID: 1001, Unit: dongguanUnit},
	{Key: "officer2", Name: "黄敏", Role: ledger.RoleOfficer, RoleText: "责任人", UserID: 1002, Unit: dongguanUnit},
	{Key: "officer3", Name: "刘洋", Role: ledger.RoleOfficer, RoleText: "责任人", UserID: 1003, Unit: dongguanUnit},
	{Key: "supervisor", Name: "巡察办", Role: ledger.RoleSupervisor, RoleText: "巡察办（各单位）", UserID: supervisorID, added: true},
}

func personaByKey(key string) (Persona, bool) {
	for _, p := range personas {
		if p.Key == key {
			return p, true
		}
	}
	return Persona{}, false
}

func personaByID(id int64) (Persona, bool) {
	for _, p := range personas {
		if p.UserID == id {
			return p, true
		}
	}
	return Persona{}, false
}

// inGroup says whether the persona is in the group: Dongguan's people are;
// the 巡察办, above the units, is not.
func (p Persona) inGroup() bool { return p.Unit == dongguanUnit }

// groupMembers are the keys of the personas in the group.
func groupMembers() []string {
	var out []string
	for _, p := range personas {
		if p.inGroup() {
			out = append(out, p.Key)
		}
	}
	return out
}

// mayAct says whether the persona can write in the chat: their own private
// chat, or the group if they are in it.
func (p Persona) mayAct(chatID int64) bool {
	return chatID == p.UserID || (chatID == groupID && p.inGroup())
}
