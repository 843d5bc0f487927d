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
}

// The configured admin is no person of the ledger (RECTIBOT_ADMINS in a
// real installation): the bot knows them by their Telegram id alone.
const adminID int64 = 9001

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
// 黄敏's departments, leader2 刘洋's.
var personas = []Persona{
	{Key: "admin", Name: "督办管理员", Role: ledger.RoleAdmin, RoleText: "督办管理员", UserID: adminID},
	{Key: "leader1", Name: "分管社会治理副书记", Role: ledger.RoleLeader, RoleText: "责任领导", UserID: 2001},
	{Key: "leader2", Name: "政治部主任", Role: ledger.RoleLeader, RoleText: "责任领导", UserID: 2002},
	{Key: "officer1", Name: "周杰", Role: ledger.RoleOfficer, RoleText: "责任人", UserID: 1001},
	{Key: "officer2", Name: "黄敏", Role: ledger.RoleOfficer, RoleText: "责任人", UserID: 1002},
	{Key: "officer3", Name: "刘洋", Role: ledger.RoleOfficer, RoleText: "责任人", UserID: 1003},
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

// inLedger says whether the persona is a person of the ledger, linked by
// an invite (everyone but the configured admin).
func (p Persona) inLedger() bool { return p.UserID != adminID }

// mayAct says whether the persona can write in the chat: their own private
// chat, or the group.
func (p Persona) mayAct(chatID int64) bool { return chatID == p.UserID || chatID == groupID }
