package handlers_test

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

// TestALeaderReadsTheDepartmentsTheyLead (SPEC §1): 分管社会治理副书记
// leads 基层社会治理科 and 信息化和网格管理指导科; his /digest and /overdue
// cover those five tasks only, a department he does not lead is refused,
// and the office and a viewer still read the whole ledger.
func TestALeaderReadsTheDepartmentsTheyLead(t *testing.T) {
	h := newHarness(t)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.link("政治部主任", politLead, ledger.RoleLeader)

	digest := h.say(socialLead, "/digest")
	contains(t, digest, "共 5 项", "基层社会治理科", "信息化和网格管理指导科")
	if strings.Contains(digest.Text, "政治部") {
		t.Errorf("his digest shows a department he does not lead:\n%s", digest.Text)
	}
	contains(t, h.say(socialLead, "/digest 基层社会治理科"), "基层社会治理科")
	refused := h.say(socialLead, "/digest 政治部")
	contains(t, refused, "只能查看分管科室", "政治部")
	if strings.Contains(refused.Text, "共 ") {
		t.Errorf("a department outside his reach was digested:\n%s", refused.Text)
	}

	// 立行立改四 (late on 2021-11-01) is his, not 政治部主任's.
	contains(t, h.say(socialLead, "/overdue"), "立行立改四")
	if strings.Contains(h.say(politLead, "/overdue").Text, "立行立改四") {
		t.Error("another department's leader sees 立行立改四 in /overdue")
	}
	contains(t, h.say(adminID, "/digest"), "共 25 项", "政治部")
	h.noRejections()
}
