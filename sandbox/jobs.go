package sandbox

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/scheduler"
)

// The side panel's JSON: what the scheduler will do, and what the bot did.
type (
	jobView struct {
		At   string `json:"at"`
		What string `json:"what"`
	}
	deliveryView struct {
		At        string   `json:"at"`
		ChatID    int64    `json:"chatId"`
		ChatTitle string   `json:"chatTitle"`
		Kind      string   `json:"kind"`
		TaskCodes []string `json:"taskCodes"`
		Reason    string   `json:"reason"`
	}
)

const (
	maxJobs       = 10
	maxDeliveries = 100
	jobHorizon    = 30 * 24 * time.Hour
)

// dueText names what a planned Due is, as the panel says it.
var dueText = map[scheduler.Kind]string{
	scheduler.KindReminder:       "到期提醒",
	scheduler.KindOverdue:        "逾期提醒",
	scheduler.KindEscalateLeader: "逾期督办（责任领导）",
	scheduler.KindEscalateAdmins: "逾期督办（督办管理员）",
	scheduler.KindCheckIn:        "长期坚持定期报送",
	scheduler.KindFollowUp:       "回头看",
}

// nextJobs is what the scheduler will do next: each task's plan from now
// for 30 days (scheduler.Plan, the function River's jobs are
// planned with), less what was told already, the soonest first, and the
// next half-monthly digest, which is always listed. Not River's table:
// River holds only each task's next item (each job plans the one after
// when it runs) and no digest until its fire, so it would show one line a
// task and never the digest.
func (w *world) nextJobs(ctx context.Context, now time.Time) ([]jobView, error) {
	tasks, err := w.store.DueTasks(ctx, models.DueFilter{})
	if err != nil {
		return nil, err
	}
	type job struct {
		due  scheduler.Due
		what string
	}
	var jobs []job
	var keys []string
	for _, t := range tasks {
		for _, d := range scheduler.Plan(w.settings, w.taskState(t), now, now.Add(jobHorizon)) {
			jobs = append(jobs, job{due: d, what: fmt.Sprintf("%s %s → %s", dueText[d.Kind], t.Code, who(d.Kind, t))})
			keys = append(keys, d.UniqueKey())
		}
	}
	told, err := w.store.Notified(ctx, keys)
	if err != nil {
		return nil, err
	}
	jobs = slices.DeleteFunc(jobs, func(j job) bool { return told[j.due.UniqueKey()] })
	slices.SortStableFunc(jobs, func(a, b job) int { return a.due.At.Compare(b.due.At) })
	sched, err := w.settings.DigestTimes(w.loc)
	if err != nil {
		return nil, err
	}
	digest := job{due: scheduler.Due{Kind: scheduler.KindDigest, At: sched.Next(now)}, what: "进展汇总 → " + groupTitle + "、督办管理员"}
	jobs = jobs[:min(len(jobs), maxJobs-1)]
	if i := slices.IndexFunc(jobs, func(j job) bool { return j.due.At.After(digest.due.At) }); i >= 0 {
		jobs = slices.Insert(jobs, i, digest)
	} else {
		jobs = append(jobs, digest)
	}
	out := make([]jobView, len(jobs))
	for i, j := range jobs {
		out[i] = jobView{At: j.due.At.In(w.loc).Format(time.RFC3339), What: j.what}
	}
	return out, nil
}

// who is whom a Due goes to; people who are no persona have not linked
// Telegram, and the scheduler holds their messages until they do.
func who(k scheduler.Kind, t models.DueTask) string {
	name := t.Officer
	switch k {
	case scheduler.KindEscalateLeader:
		name = t.Leader
	case scheduler.KindEscalateAdmins:
		return "督办管理员"
	}
	for _, p := range personas {
		if p.Name == name {
			return name
		}
	}
	return name + "（未绑定，暂不发送）"
}

// taskState is what Plan needs of a task, as the scheduler reads it.
func (w *world) taskState(t models.DueTask) scheduler.TaskState {
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		loc = w.loc
	}
	st := scheduler.TaskState{TaskID: t.ID, Status: t.Status, Deadline: t.Deadline, LongTerm: t.LongTerm, Location: loc}
	if t.LongTerm {
		st.Recurrence, _ = ledger.ParseRecurrence(t.Recurrence)
	}
	if t.ClosedAt != nil {
		st.ClosedOn = ledger.DateOf(t.ClosedAt.In(loc))
	}
	return st
}

// reasons say why the bot sent a message of each delivery kind.
var reasons = map[outbound.Kind]string{
	outbound.KindReminder:         "到期提醒",
	outbound.KindAnswer:           "回复",
	outbound.KindEscalation:       "逾期督办",
	outbound.KindEscalationGroup:  "逾期通报",
	outbound.KindDigest:           "进展汇总",
	outbound.KindFollowUp:         "回头看",
	outbound.KindTaskCard:         "任务卡片",
	outbound.KindTaskList:         "任务清单",
	outbound.KindAnnounceClosure:  "销号通报",
	outbound.KindReplyPrompt:      "确认进展",
	outbound.KindReportPrompt:     "报送进展",
	outbound.KindVerifyList:       "待销号清单",
	outbound.KindOverdue:          "逾期清单",
	outbound.KindReopened:         "重新整改",
	outbound.KindInvite:           "邀请链接",
	outbound.KindGroupSettings:    "群设置",
	outbound.KindNotice:           "阶段性进展通报",
	outbound.KindExport:           "台账导出",
	outbound.KindApology:          "出错致歉",
	outbound.KindClosure:          "销号通知",
	outbound.KindClosureRejected:  "销号退回",
	outbound.KindEvidence:         "佐证材料",
	outbound.KindDeadlineRequest:  "延期申请",
	outbound.KindClosureRequest:   "销号申请",
	outbound.KindDeadlineApproved: "同意延期",
	outbound.KindDeadlineRejected: "不同意延期",
	outbound.KindStageDone:        "阶段性完成",
	outbound.KindInboxDelayed:     "延迟处理告知",
	outbound.KindInboxFailed:      "处理失败告知",
	outbound.KindInboxFlood:       "消息过多告知",
}

// deliveries is the deliveries record (every message the bot sent, kept
// for replies and idempotency), newest first, with the tasks each named.
func (w *world) deliveries(ctx context.Context) ([]deliveryView, error) {
	db := w.store.DB().WithContext(ctx)
	var ds []models.Delivery
	if err := db.Order("sent_at DESC, id DESC").Limit(maxDeliveries).Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	ids := make([]uint, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	var links []struct {
		DeliveryID uint
		Code       string
	}
	if len(ids) > 0 {
		if err := db.Table("delivery_tasks dt").Select("dt.delivery_id, t.code").Joins("JOIN tasks t ON t.id = dt.task_id").
			Where("dt.delivery_id IN ?", ids).Order("dt.delivery_id, dt.seq").Scan(&links).Error; err != nil {
			return nil, fmt.Errorf("delivery tasks: %w", err)
		}
	}
	codes := map[uint][]string{}
	for _, l := range links {
		codes[l.DeliveryID] = append(codes[l.DeliveryID], l.Code)
	}
	told, err := w.reminderReasons(ctx, ds)
	if err != nil {
		return nil, err
	}
	out := make([]deliveryView, len(ds))
	for i, d := range ds {
		reason, ok := told[d.IdempotencyKey]
		if !ok {
			reason, ok = reasons[outbound.Kind(d.Kind)]
		}
		if !ok {
			reason = d.Kind
		}
		tc := codes[d.ID]
		if tc == nil {
			tc = []string{}
		}
		out[i] = deliveryView{At: d.SentAt.In(w.loc).Format(time.RFC3339), ChatID: d.ChatID, ChatTitle: chatTitle(d.ChatID),
			Kind: d.Kind, TaskCodes: tc, Reason: reason}
	}
	return out, nil
}

// reminderReasons tells a reminder's kinds apart: one message lists what is
// due soon, what is late and long-term check-ins alike, and the
// notifications record (what was told, by whose message) knows which.
func (w *world) reminderReasons(ctx context.Context, ds []models.Delivery) (map[string]string, error) {
	var keys []string
	for _, d := range ds {
		if d.Kind == "reminder" {
			keys = append(keys, d.IdempotencyKey)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	var rows []models.Notification
	if err := w.store.DB().WithContext(ctx).Where("delivery_key IN ?", keys).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	kinds := map[string][]string{}
	for _, n := range rows {
		if text := dueText[scheduler.Kind(n.Kind)]; !slices.Contains(kinds[n.DeliveryKey], text) {
			kinds[n.DeliveryKey] = append(kinds[n.DeliveryKey], text)
		}
	}
	out := make(map[string]string, len(kinds))
	for k, texts := range kinds {
		out[k] = strings.Join(texts, "、")
	}
	return out, nil
}

func chatTitle(id int64) string {
	if id == groupID {
		return groupTitle
	}
	if p, ok := personaByID(id); ok {
		return p.Name
	}
	return fmt.Sprint(id)
}
