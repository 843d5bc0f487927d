package handlers_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/handlers"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

func TestSecurityStrangerInPrivateIsRefusedAndAudited(t *testing.T) {
	h := newHarness(t)
	before, refusals := h.secSnapshot(), h.secRefusals()
	reply := h.say(strangerID, "/tasks")
	contains(t, reply, "仅供整改工作相关人员使用", "邀请链接")
	secNoSecrets(t, "stranger /tasks", reply.Text)
	if got := h.secRefusals(); got != refusals+1 {
		t.Errorf("access.refused events %d → %d, want one more", refusals, got)
	}
	h.secUnchanged(before)
	h.noRejections()
}

func TestSecurityUnregisteredGroupGetsNothing(t *testing.T) {
	h := newHarness(t)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.fake.AddGroup(groupID, "某工作群", socialLead)
	before, refusals := h.secSnapshot(), h.secRefusals()
	h.do(h.fake.GroupText(groupID, socialLead, "/digest"))
	msgs := h.fake.Messages(groupID)
	if len(msgs) != 1 {
		t.Fatalf("the unregistered group got %d messages", len(msgs))
	}
	contains(t, msgs[0], "本群尚未登记", "/group")
	secNoSecrets(t, "unregistered group /digest", msgs[0].Text)
	if h.secRefusals() != refusals+1 {
		t.Error("the refusal was not audited")
	}
	h.secUnchanged(before)
	h.noRejections()
}

func TestSecurityGroupNotSubscribedToDigests(t *testing.T) {
	h := newHarness(t)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.fake.AddGroup(groupID, "整改工作群", socialLead)
	if err := h.store.SaveGroup(h.ctx, dbmodels.GroupSettings{ChatID: groupID, Title: "整改工作群", Closures: true}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	before := h.secSnapshot()
	h.do(h.fake.GroupText(groupID, socialLead, "/digest"))
	msgs := h.fake.Messages(groupID)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages", len(msgs))
	}
	contains(t, msgs[0], "未订阅进展汇总")
	secNoSecrets(t, "unsubscribed group /digest", msgs[0].Text)
	h.secUnchanged(before)
	h.noRejections()
}

func TestSecurityGroupSeesOnlyItsDepartment(t *testing.T) {
	h := newHarness(t)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.fake.AddGroup(groupID, "政治部工作群", socialLead)
	polit := h.departmentID("政治部")
	if err := h.store.SaveGroup(h.ctx, dbmodels.GroupSettings{ChatID: groupID, Title: "政治部工作群", Digests: true,
		DepartmentIDs: []uint{polit}}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	before := h.secSnapshot()
	h.do(h.fake.GroupText(groupID, socialLead, "/digest"))
	var all strings.Builder
	for _, m := range h.fake.Messages(groupID) {
		all.WriteString(m.Text + "\n")
	}
	text := all.String()
	if !strings.Contains(text, "整改进展汇总") || !strings.Contains(text, "政治部") {
		t.Errorf("no 政治部 digest:\n%s", text)
	}
	for _, other := range []string{"基层社会治理科", "信息化和网格管理指导科", "委机关办公室", "立行立改四", "6(2)"} {
		if strings.Contains(text, other) {
			t.Errorf("the 政治部 group was told %q:\n%s", other, text)
		}
	}
	// Asking for another department by name gets nothing of it either.
	h.do(h.fake.GroupText(groupID, socialLead, "/digest 基层社会治理科"))
	if last := h.fake.Last(groupID); strings.Contains(last.Text, "6(2)") || strings.Contains(last.Text, "整改进展汇总") {
		t.Errorf("/digest of another department in the group: %q", last.Text)
	}
	h.secUnchanged(before)
	h.noRejections()
}

func TestSecurityForwardedCommandRunsNothing(t *testing.T) {
	h := newHarness(t)
	h.link("政治部主任", politLead, ledger.RoleLeader)
	before := h.secSnapshot()
	h.do(h.fake.Forwarded(politLead, "/digest"))
	last := h.fake.Last(politLead)
	contains(t, last, "转发的消息不会作为指令执行")
	for _, m := range h.fake.Messages(politLead) {
		if strings.Contains(m.Text, "整改进展汇总(截至") {
			t.Errorf("a forwarded /digest ran: %q", m.Text)
		}
	}
	h.secUnchanged(before)
	h.noRejections()
}

func TestSecurityAnonymousGroupAdminIsNotAPerson(t *testing.T) {
	h := newHarness(t)
	h.fake.AddGroup(groupID, "整改工作群", adminID)
	before, refusals := h.secSnapshot(), h.secRefusals()
	// As Telegram sends it: from GroupAnonymousBot (a bot), on behalf of
	// the group itself.
	u := h.fake.GroupText(groupID, handlers.GroupAnonymousBot, "/group")
	u.Message.From.IsBot, u.Message.From.FirstName, u.Message.From.Username = true, "Group", "GroupAnonymousBot"
	chat := u.Message.Chat
	u.Message.SenderChat = &chat
	h.do(u)
	contains(t, h.fake.Last(groupID), "匿名管理员", "关闭匿名")
	if _, err := h.store.Group(h.ctx, groupID); !errors.Is(err, dbmodels.ErrNotFound) {
		t.Errorf("an anonymous admin registered the group: %v", err)
	}
	if h.secRefusals() != refusals {
		t.Error("an anonymous admin was audited as a stranger")
	}
	h.secUnchanged(before)
	h.noRejections()
}

func TestSecurityChannelPostGetsNoAnswer(t *testing.T) {
	h := newHarness(t)
	const channel = -1001234567890
	before, sent, answers := h.secSnapshot(), h.fake.SentTotal(), len(h.fake.CallbackAnswers())
	h.do(h.fake.ChannelPost(channel, "/digest"))
	h.do(h.fake.ChannelPost(channel, "/group"))
	if n := h.fake.SentTotal(); n != sent || len(h.fake.Messages(channel)) != 0 || len(h.fake.CallbackAnswers()) != answers {
		t.Errorf("the bot answered a channel post (%d sends)", n-sent)
	}
	h.secUnchanged(before)
	h.noRejections()
}

func TestSecurityOfficerCannotUseAdminOrLeaderCommands(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	for _, cmd := range []string{"/invite", "/verify", "/export", "/overdue"} {
		t.Run(strings.TrimPrefix(cmd, "/"), func(t *testing.T) {
			before, sent := h.secSnapshot(), h.fake.SentTotal()
			reply := h.say(zhouJie, cmd)
			if h.fake.SentTotal() != sent+1 {
				t.Fatalf("%s: %d messages, want one refusal", cmd, h.fake.SentTotal()-sent)
			}
			// Each conversation words its refusal: "not allowed", or who may.
			if !strings.Contains(reply.Text, "没有权限") && !strings.Contains(reply.Text, "只有") {
				t.Errorf("%s: not refused: %q", cmd, reply.Text)
			}
			if reply.Document != nil || reply.Markup != nil {
				t.Errorf("%s: the refusal carries a file or buttons", cmd)
			}
			h.secUnchanged(before)
		})
	}
	h.noRejections()
}

func TestSecurityViewerReadsDigestsOnly(t *testing.T) {
	h := newHarness(t)
	if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: "纪检观察员", Role: ledger.RoleViewer}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	h.link("纪检观察员", viewerID, ledger.RoleViewer)
	before := h.secSnapshot()
	tasks := h.say(viewerID, "/tasks")
	contains(t, tasks, "没有分配整改任务")
	if tasks.Markup != nil || strings.Contains(tasks.Text, "6(2)") {
		t.Errorf("a viewer got tasks: %q", tasks.Text)
	}
	contains(t, h.say(viewerID, "/task 6(2)"), "没有找到")
	contains(t, h.say(viewerID, "/digest"), "整改进展汇总", "政治部")
	h.secUnchanged(before)
	h.noRejections()
}

func TestSecurityForgedCallbackData(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	help := h.say(zhouJie, "/help")
	before := h.secSnapshot()
	for _, data := range []string{"zz:1", "garbage", "t:abc", "t:01", "t:1:a:b", "va:-1", strings.Repeat("t", 65), "x:0:<b>"} {
		h.do(h.fake.Press(zhouJie, zhouJie, help.MessageID, data))
		if got := lastAnswer(t, h); got != "此按钮已失效。" {
			t.Errorf("%q answered %q", data, got)
		}
	}
	if last := h.fake.Last(zhouJie); last.MessageID != help.MessageID || last.Edits != 0 {
		t.Errorf("a forged press changed the chat: %q", last.Text)
	}
	h.secUnchanged(before)
	h.noRejections()
}

func TestSecurityStrangerPressIsRefused(t *testing.T) {
	h := newHarness(t)
	refusal := h.say(strangerID, "/start")
	var p dbmodels.Person
	if err := h.store.DB().Where("name = ?", "黄敏").Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	before, refusals := h.secSnapshot(), h.secRefusals()
	for _, data := range []string{"t:" + itoa(h.taskID("6(2)")), "ir:" + itoa(p.ID) + ":admin", "ip:0:p0"} {
		h.do(h.fake.Press(strangerID, strangerID, refusal.MessageID, data))
		if got := lastAnswer(t, h); !strings.Contains(got, "邀请链接") {
			t.Errorf("%s answered %q", data, got)
		}
	}
	for _, m := range h.fake.Messages(strangerID) {
		secNoSecrets(t, "stranger's press", m.Text)
		if strings.Contains(m.Text, "start=") {
			t.Errorf("a stranger got an invite link: %q", m.Text)
		}
	}
	if got := h.secRefusals(); got != refusals+3 {
		t.Errorf("access.refused %d → %d, want 3 more", refusals, got)
	}
	h.secUnchanged(before)
	h.noRejections()
}
