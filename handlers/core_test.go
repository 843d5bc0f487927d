package handlers_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/ledger"
)

func TestOfficerLinksAndSeesTheirTasksRedFirst(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	welcome := h.fake.Last(zhouJie)
	contains(t, welcome, "周杰", "责任人", "/tasks", "/report")

	list := h.say(zhouJie, "/tasks")
	contains(t, list, "我的整改任务", "立行立改四", "已逾期 1 个工作日", "6(3)", "11(2)")
	// Red first: 立行立改四 (overdue) is the first task listed and the first button.
	lines := strings.Split(list.Text, "\n")
	if !strings.Contains(lines[1], "立行立改四") {
		t.Errorf("first task line %q, want 立行立改四 (the only red one)", lines[1])
	}
	if first := list.Markup.InlineKeyboard[0][0].Text; !strings.Contains(first, "🔴") || !strings.Contains(first, "立行立改四") {
		t.Errorf("first button %q", first)
	}
	// Another department's task is not in the list.
	if strings.Contains(list.Text, "8(2)") {
		t.Error("周杰 sees 政治部's 8(2)")
	}
	card := h.press(zhouJie, list, "立行立改四")
	contains(t, card, "立行立改四", "部分专项资金使用存在廉政风险", "整改措施", "整改情况", "回复本消息")
	if !hasButton(card, "报送进展") {
		t.Error("the officer's card has no report button")
	}
	h.noRejections()
}

func TestStrangerLearnsNothing(t *testing.T) {
	h := newHarness(t)
	for _, text := range []string{"/start", "/tasks", "/task 6(2)", "/digest", "hello", "/start not-a-code"} {
		reply := h.say(strangerID, text)
		for _, secret := range []string{"6(2)", "整改中", "周杰", "委机关", "已销号"} {
			if strings.Contains(reply.Text, secret) {
				t.Errorf("%q: the stranger was told %q: %s", text, secret, reply.Text)
			}
		}
	}
	if !strings.Contains(h.fake.Messages(strangerID)[0].Text, "邀请链接") {
		t.Errorf("refusal: %q", h.fake.Messages(strangerID)[0].Text)
	}
	h.noRejections()
}

func TestTaskCodesArePermissionChecked(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	own := h.say(zhouJie, "/task 立行立改四")
	contains(t, own, "部分专项资金使用存在廉政风险")
	other := h.say(zhouJie, "/task 8(2)")
	if strings.Contains(other.Text, "机关干部管理") || !strings.Contains(other.Text, "没有找到") {
		t.Errorf("an officer saw another department's task: %q", other.Text)
	}
	// A forged button press for that task is refused too.
	h.do(h.fake.Press(zhouJie, zhouJie, own.MessageID, "t:"+itoa(h.taskID("8(2)"))))
	answers := h.fake.CallbackAnswers()
	if last := answers[len(answers)-1]; !strings.Contains(last.Text, "没有权限") {
		t.Errorf("forged press answered %q", last.Text)
	}
	if strings.Contains(h.fake.Last(zhouJie).Text, "机关干部管理") {
		t.Error("a forged press showed another department's card")
	}
	h.noRejections()
}

func TestLanguageAndHelpByRole(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer, "en")
	help := h.say(zhouJie, "/help")
	contains(t, help, "/tasks", "/report")
	if strings.Contains(help.Text, "/invite") || strings.Contains(help.Text, "/verify") {
		t.Errorf("an officer's help offers admin or leader commands:\n%s", help.Text)
	}
	if !strings.Contains(help.Text, "Here is what I can do") {
		t.Errorf("language_code en did not give English help:\n%s", help.Text)
	}
	choose := h.say(zhouJie, "/lang")
	done := h.press(zhouJie, choose, "中文")
	contains(t, done, "已切换为中文")
	contains(t, h.say(zhouJie, "/help"), "我可以为您做这些")

	admin := h.say(adminID, "/help")
	contains(t, admin, "/invite", "/verify", "/export")
	h.noRejections()
}

// TestConfiguredAdminKeepsTheLanguageChosen: an admin named in the
// configuration, never linked as a person, whose Telegram app says "en"
// (Telegram's own apps have no Simplified Chinese) chooses 中文 and is
// answered in Chinese from then on; choosing English again is kept too.
func TestConfiguredAdminKeepsTheLanguageChosen(t *testing.T) {
	h := newHarness(t)
	h.fake.AddUser(models.User{ID: adminID, FirstName: "Admin", LanguageCode: "en"})
	contains(t, h.say(adminID, "/help"), "Here is what I can do")
	contains(t, h.press(adminID, h.say(adminID, "/lang"), "中文"), "已切换为中文")
	contains(t, h.say(adminID, "/help"), "我可以为您做这些")
	contains(t, h.press(adminID, h.say(adminID, "/lang"), "English"), "English")
	contains(t, h.say(adminID, "/help"), "Here is what I can do")

	h.noRejections()
}

// TestSomeoneNotLinkedChoosesALanguage: /lang is for anyone, so is its
// answer. A person yet to redeem their invitation chooses English (their
// Telegram app says zh); the stranger's notice speaks it, and the bot
// keeps it when the invitation links them.
func TestSomeoneNotLinkedChoosesALanguage(t *testing.T) {
	h := newHarness(t)
	h.fake.AddUser(models.User{ID: zhouJie, FirstName: "周杰", LanguageCode: "zh-hans"})
	contains(t, h.press(zhouJie, h.say(zhouJie, "/lang"), "English"), "Language set to English.")
	contains(t, h.say(zhouJie, "/help"), "only for the people working on the rectification")
	if lang, err := h.store.UserLanguageOf(h.ctx, zhouJie); err != nil || lang != "en" {
		t.Errorf("the choice kept: %q (%v), want en", lang, err)
	}

	_, code := inviteThroughBot(h, adminID, "周杰", "责任人")
	contains(t, h.say(zhouJie, "/start "+code), "Your account is linked")
	contains(t, h.say(zhouJie, "/help"), "Here is what I can do")
	h.noRejections()
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }
