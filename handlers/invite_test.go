package handlers_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

var inviteLinkRE = regexp.MustCompile(`https://t\.me/` + botUsername + `\?start=([A-Za-z0-9_-]+)`)

// inviteThroughBot walks an admin through /invite for name as the role
// labelled roleLabel and returns the message with the link and the code.
func inviteThroughBot(h *harness, admin int64, name, roleLabel string) (tgfake.Sent, string) {
	h.t.Helper()
	list := h.say(admin, "/invite")
	for !hasButton(list, name) {
		if !hasButton(list, "下一页") {
			h.t.Fatalf("no button for %s on any page of /invite:\n%s", name, list.Text)
		}
		list = h.press(admin, list, "下一页")
	}
	roles := h.press(admin, list, name)
	done := h.press(admin, roles, roleLabel)
	m := inviteLinkRE.FindStringSubmatch(done.Text)
	if m == nil {
		h.t.Fatalf("no invite link in %q", done.Text)
	}
	return done, m[1]
}

func (h *harness) inviteCount() int64 {
	h.t.Helper()
	var n int64
	if err := h.store.DB().Model(&dbmodels.Invite{}).Count(&n).Error; err != nil {
		h.t.Fatal(err)
	}
	return n
}

func TestAdminInvitesAnOfficerWhoLinksOnce(t *testing.T) {
	h := newHarness(t)
	list := h.say(adminID, "/invite")
	contains(t, list, "生成邀请链接", "分管社会治理副书记", "周杰 · 信息化和网格管理指导科 · 责任人 · 未绑定")
	// Leaders (no department) first, then officers by department: 周杰
	// (信息化…) before 黄敏 (基层…) on the first page.
	if i, j := strings.Index(list.Text, "周杰"), strings.Index(list.Text, "黄敏"); i < 0 || j < 0 || i > j {
		t.Errorf("people not ordered by department:\n%s", list.Text)
	}
	next := h.press(adminID, list, "下一页")
	contains(t, next, "杨帆", "第 2/2 页")
	back := h.press(adminID, next, "上一页")
	contains(t, back, "黄敏", "第 1/2 页")

	roles := h.press(adminID, back, "黄敏")
	contains(t, roles, "邀请 黄敏（基层社会治理科）")
	for _, role := range []string{"责任人", "责任领导", "督办管理员", "观察员"} {
		if !hasButton(roles, role) {
			t.Errorf("no role button %q", role)
		}
	}
	done := h.press(adminID, roles, "责任人")
	contains(t, done, "黄敏", "责任人", "有效期至2021年11月4日 10:00（北京时间）", "t.me/zhenggai_bot?start=")
	if done.Markup != nil && len(done.Markup.InlineKeyboard) > 0 {
		t.Error("the link message still has buttons: a second press would make another code")
	}
	if !strings.Contains(done.Raw, "<code>https://t.me/zhenggai_bot?start=") {
		t.Errorf("the link is not in a <code> block: %s", done.Raw)
	}
	code := inviteLinkRE.FindStringSubmatch(done.Text)[1]

	// The ledger keeps a hash, never the code.
	var inv dbmodels.Invite
	if err := h.store.DB().Order("id DESC").Take(&inv).Error; err != nil {
		t.Fatal(err)
	}
	if inv.Role != "officer" || inv.CodeHash == code || inv.CreatedBy != "telegram:9001" {
		t.Errorf("stored invite %+v", inv)
	}

	h.fake.AddUser(models.User{ID: huangMin, FirstName: "Min", LanguageCode: "zh-hans"})
	welcome := h.say(huangMin, "/start "+code)
	contains(t, welcome, "黄敏，您好", "责任人")
	m, err := h.store.MemberByTelegram(h.ctx, huangMin)
	if err != nil || m.Person.Name != "黄敏" || !m.Actor.Has(ledger.RoleOfficer) {
		t.Fatalf("黄敏 not linked as officer: %+v %v", m, err)
	}
	contains(t, h.say(huangMin, "/tasks"), "6(2)", "9(2)")

	// The same code again, from someone else: already used.
	h.fake.AddUser(models.User{ID: 7777, FirstName: "Other"})
	contains(t, h.say(7777, "/start "+code), "已被使用")
	if _, err := h.store.MemberByTelegram(h.ctx, 7777); err == nil {
		t.Error("a used code linked a second account")
	}
	// The list now shows 黄敏 as linked.
	contains(t, h.say(adminID, "/invite"), "黄敏 · 基层社会治理科 · 责任人 · 已绑定")
	h.noRejections()
}

func TestInviteExpires(t *testing.T) {
	h := newHarness(t)
	_, code := inviteThroughBot(h, adminID, "刘洋", "责任人")
	h.clock.Advance(72*time.Hour + time.Minute)
	h.fake.AddUser(models.User{ID: liuYang, FirstName: "Yang"})
	contains(t, h.say(liuYang, "/start "+code), "已过期")
	if _, err := h.store.MemberByTelegram(h.ctx, liuYang); err == nil {
		t.Error("an expired code linked the account")
	}
	h.noRejections()
}

func TestInviteCodeGuessingIsThrottled(t *testing.T) {
	h := newHarness(t)
	const guesser = 7001
	h.fake.AddUser(models.User{ID: guesser, FirstName: "Guess"})
	for i := range 5 {
		contains(t, h.say(guesser, "/start wrongcode"+itoa(uint(i))), "邀请码无效")
	}
	contains(t, h.say(guesser, "/start wrongcode5"), "尝试次数过多")
	// Even a good code waits now: the throttle comes before the lookup.
	_, code := inviteThroughBot(h, adminID, "黄敏", "责任人")
	contains(t, h.say(guesser, "/start "+code), "尝试次数过多")
	if _, err := h.store.MemberByTelegram(h.ctx, guesser); err == nil {
		t.Error("a throttled user was linked")
	}
	h.noRejections()
}

func TestInviteRechecksAdminAtEveryPress(t *testing.T) {
	h := newHarness(t)
	// A linked admin (not a configured one) starts an invite…
	if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: "督办室王科长", Role: ledger.RoleAdmin}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	const wang = 4001
	h.link("督办室王科长", wang, ledger.RoleAdmin)
	list := h.say(wang, "/invite")
	roles := h.press(wang, list, "黄敏")

	// …and loses the role before pressing the next button.
	var p dbmodels.Person
	if err := h.store.DB().Where("name = ?", "督办室王科长").Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	if err := h.store.DB().Where("person_id = ?", p.ID).Delete(&dbmodels.PersonRole{}).Error; err != nil {
		t.Fatal(err)
	}
	before := h.inviteCount()
	after := h.press(wang, roles, "督办管理员")
	answers := h.fake.CallbackAnswers()
	if last := answers[len(answers)-1]; !strings.Contains(last.Text, "没有权限") {
		t.Errorf("press after losing the role answered %q", last.Text)
	}
	if strings.Contains(after.Text, "start=") || h.inviteCount() != before {
		t.Error("a former admin made an invite")
	}
	h.noRejections()
}

func TestForgedInvitePressesAreRefused(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	help := h.say(zhouJie, "/help")
	var p dbmodels.Person
	if err := h.store.DB().Where("name = ?", "周杰").Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	before := h.inviteCount()
	// An officer forging "make me an admin" and "show me the people".
	for _, data := range []string{"ir:" + itoa(p.ID) + ":admin", "ip:" + itoa(p.ID), "ip:0:p0"} {
		h.do(h.fake.Press(zhouJie, zhouJie, help.MessageID, data))
		answers := h.fake.CallbackAnswers()
		if last := answers[len(answers)-1]; !strings.Contains(last.Text, "没有权限") {
			t.Errorf("%s answered %q", data, last.Text)
		}
	}
	if h.inviteCount() != before {
		t.Error("a forged press created an invite")
	}
	if last := h.fake.Last(zhouJie); last.MessageID != help.MessageID || strings.Contains(last.Text, "start=") {
		t.Errorf("a forged press changed the chat: %q", last.Text)
	}
	// An admin's press from a group never shows a code there.
	h.fake.AddGroup(groupID, "整改工作群", adminID)
	h.do(h.fake.GroupText(groupID, adminID, "/help"))
	inGroup := h.fake.Last(groupID)
	h.do(h.fake.Press(adminID, groupID, inGroup.MessageID, "ir:"+itoa(p.ID)+":officer"))
	if h.inviteCount() != before || strings.Contains(h.fake.Last(groupID).Text, "start=") {
		t.Error("an invite was made from a group chat")
	}
	h.noRejections()
}
