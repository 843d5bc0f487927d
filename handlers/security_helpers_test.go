package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	dbmodels "github.com/rectibot/rectibot/models"
)

// ledgerSecrets are strings of the Dongguan ledger a refusal must never
// show: task codes, statuses, people, departments.
var ledgerSecrets = []string{"6(2)", "8(2)", "整改中", "已销号", "周杰", "黄敏", "委机关", "政治部", "逾期"}

// secSnapshot is everything of the ledger a refused request must leave
// alone: counts of every table a conversation writes, the tasks' status
// and deadlines, and the audit trail apart from refusals.
func (h *harness) secSnapshot() string {
	h.t.Helper()
	db := h.store.DB()
	var out strings.Builder
	for _, table := range []any{&dbmodels.Invite{}, &dbmodels.Group{}, &dbmodels.GroupDepartment{},
		&dbmodels.ProgressEntry{}, &dbmodels.Attachment{}, &dbmodels.DeadlineChange{},
		&dbmodels.PersonRole{}, &dbmodels.Person{}} {
		var n int64
		if err := db.Model(table).Count(&n).Error; err != nil {
			h.t.Fatal(err)
		}
		fmt.Fprintf(&out, "%T=%d ", table, n)
	}
	var linked, audits int64
	if err := db.Model(&dbmodels.Person{}).Where("telegram_user_id IS NOT NULL").Count(&linked).Error; err != nil {
		h.t.Fatal(err)
	}
	if err := db.Model(&dbmodels.AuditEvent{}).Where("action <> ?", "access.refused").Count(&audits).Error; err != nil {
		h.t.Fatal(err)
	}
	fmt.Fprintf(&out, "linked=%d audits=%d\n", linked, audits)
	var tasks []dbmodels.Task
	if err := db.Order("id").Find(&tasks).Error; err != nil {
		h.t.Fatal(err)
	}
	for _, t := range tasks {
		fmt.Fprintf(&out, "%s %s %v\n", t.Code, t.Status, t.Deadline)
	}
	return out.String()
}

// secRefusals counts the "access.refused" audit events.
func (h *harness) secRefusals() int64 {
	h.t.Helper()
	var n int64
	if err := h.store.DB().Model(&dbmodels.AuditEvent{}).Where("action = ?", "access.refused").Count(&n).Error; err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *harness) secUnchanged(before string) {
	h.t.Helper()
	if after := h.secSnapshot(); after != before {
		h.t.Errorf("the ledger changed:\nbefore %s\nafter  %s", before, after)
	}
}

func secNoSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range ledgerSecrets {
		if strings.Contains(text, s) {
			t.Errorf("%s: told %q:\n%s", what, s, text)
		}
	}
}

func lastAnswer(t *testing.T, h *harness) string {
	t.Helper()
	answers := h.fake.CallbackAnswers()
	if len(answers) == 0 {
		t.Fatal("the press was not answered")
	}
	return answers[len(answers)-1].Text
}
