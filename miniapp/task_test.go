package miniapp_test

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

type taskPage struct {
	ID               uint    `json:"id"`
	Code             string  `json:"code"`
	Title            string  `json:"title"`
	Problem          string  `json:"problem"`
	Category         string  `json:"category"`
	Department       string  `json:"department"`
	Leader           string  `json:"leader"`
	Officer          string  `json:"officer"`
	Status           string  `json:"status"`
	StatusName       string  `json:"status_name"`
	Light            string  `json:"light"`
	Deadline         *string `json:"deadline"`
	OriginalDeadline *string `json:"original_deadline"`
	Measures         []struct {
		Text string `json:"text"`
		Done bool   `json:"done"`
	} `json:"measures"`
	Progress []struct {
		At       string `json:"at"`
		Author   string `json:"author"`
		Text     string `json:"text"`
		Evidence []struct {
			ID   uint   `json:"id"`
			Kind string `json:"kind"`
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"evidence"`
	} `json:"progress"`
	DeadlineChanges []struct {
		ID          uint    `json:"id"`
		From        *string `json:"from"`
		To          *string `json:"to"`
		Reason      string  `json:"reason"`
		RequestedBy string  `json:"requested_by"`
		RequestedAt string  `json:"requested_at"`
		State       string  `json:"state"`
		DecidedBy   *string `json:"decided_by"`
		DecidedAt   *string `json:"decided_at"`
	} `json:"deadline_changes"`
	Closure []struct {
		At        string  `json:"at"`
		Event     string  `json:"event"`
		EventName string  `json:"event_name"`
		By        string  `json:"by"`
		Reason    *string `json:"reason"`
	} `json:"closure"`
	Actions struct {
		DecideClosure  bool   `json:"decide_closure"`
		DecideDeadline []uint `json:"decide_deadline"`
	} `json:"actions"`
}

// history gives two tasks a history: 8(2) (刘洋, 政治部主任) a report
// with a photo and a new deadline asked; 立行立改四 (周杰, 分管社会治理副书记)
// a closure asked, sent back, asked again.
func (h *harness) history() (politTask, socialTask, request uint) {
	h.t.Helper()
	politTask, socialTask = h.taskID("8(2)"), h.taskID("立行立改四")
	h.clock.Set(asOf.Add(-48 * time.Hour))
	photo := models.Attachment{Kind: "photo", FileID: "AgAD-photo", FileUniqueID: "u1", FileName: "档案室.jpg", MIMEType: "image/jpeg", Size: 2048}
	if _, err := h.store.AddProgress(h.ctx, addProgress(politTask, "已补充入库档案散件12份。", photo), h.as(liuYangID)); err != nil {
		h.t.Fatal(err)
	}
	h.clock.Set(asOf.Add(-24 * time.Hour))
	rq, err := h.store.RequestDeadline(h.ctx, politTask, ledger.MustDate(2021, 12, 15), "档案散件仍在补充", h.as(liuYangID))
	if err != nil {
		h.t.Fatal(err)
	}
	steps := []struct {
		who    int64
		to     ledger.Status
		reason string
	}{
		{zhouJieID, ledger.StatusPendingVerification, ""},
		{socialLeadID, ledger.StatusInProgress, "补充协议未公开"},
		{zhouJieID, ledger.StatusPendingVerification, ""},
	}
	for i, s := range steps {
		h.clock.Set(asOf.Add(time.Duration(i-3) * time.Hour))
		if _, err := h.store.ChangeStatus(h.ctx, models.StatusChange{TaskID: socialTask, To: s.to, Reason: s.reason}, h.as(s.who)); err != nil {
			h.t.Fatal(err)
		}
	}
	h.clock.Set(asOf)
	return politTask, socialTask, rq.ID
}

func TestTaskPage(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()
	polit, social, request := h.history()

	p := getJSON[taskPage](h, politLeadID, "tasks/"+strconv.Itoa(int(polit)))
	if p.Code != "8(2)" || p.Title != "机关干部管理工作不够严格" || p.Problem != "干部队伍建设工作存在薄弱环节" || p.Officer != "刘洋" || p.Leader != "政治部主任" ||
		p.Department != "政治部" || p.Status != "in_progress" || p.StatusName != "整改中" || p.Light != "yellow" ||
		deref2(p.Deadline) != "2021-11-30" || deref2(p.OriginalDeadline) != "2021-11-30" || len(p.Measures) != 3 {
		t.Errorf("8(2) head: %+v", p)
	}
	// The ledger's text as a document prints it: the spreadsheet's
	// half-width commas beside Chinese are full-width on the page.
	if m := p.Measures[0].Text; !strings.Contains(m, "和市委巡察组的清单，重新梳理") || strings.Contains(m, ",") {
		t.Errorf("measure 1 not in standard punctuation: %q", m)
	}
	// Newest first: 刘洋's report with its photo, then the ledger's 整改情况.
	if len(p.Progress) != 2 {
		t.Fatalf("progress: %+v", p.Progress)
	}
	if e := p.Progress[0]; e.Author != "刘洋" || e.Text != "已补充入库档案散件12份。" || e.At != "2021-11-23T10:00:00+08:00" ||
		len(e.Evidence) != 1 || e.Evidence[0].Kind != "photo" || e.Evidence[0].Name != "档案室.jpg" ||
		e.Evidence[0].URL != "/app/api/evidence/"+strconv.Itoa(int(e.Evidence[0].ID)) {
		t.Errorf("report: %+v", e)
	}
	if e := p.Progress[1]; e.Author != "" || len(e.Evidence) != 0 {
		t.Errorf("imported entry: %+v", e)
	}
	if len(p.DeadlineChanges) != 1 {
		t.Fatalf("deadline changes: %+v", p.DeadlineChanges)
	}
	if d := p.DeadlineChanges[0]; d.ID != request || deref2(d.From) != "2021-11-30" || deref2(d.To) != "2021-12-15" ||
		d.Reason != "档案散件仍在补充" || d.RequestedBy != "刘洋" || d.State != "pending" || d.DecidedBy != nil || d.DecidedAt != nil {
		t.Errorf("request: %+v", d)
	}
	if !reflect.DeepEqual(p.Actions.DecideDeadline, []uint{request}) || p.Actions.DecideClosure {
		t.Errorf("政治部主任's actions on 8(2): %+v", p.Actions)
	}
	// The officer sees the same page, and may decide nothing.
	if a := getJSON[taskPage](h, liuYangID, "tasks/"+strconv.Itoa(int(polit))).Actions; len(a.DecideDeadline) != 0 || a.DecideClosure {
		t.Errorf("刘洋's actions on 8(2): %+v", a)
	}

	s := getJSON[taskPage](h, socialLeadID, "tasks/"+strconv.Itoa(int(social)))
	type step struct{ event, name, by, reason string }
	var got []step
	for _, e := range s.Closure {
		got = append(got, step{e.Event, e.EventName, e.By, deref2(e.Reason)})
	}
	want := []step{
		{"requested", "申请销号", "周杰", ""},
		{"rejected", "退回销号申请", "分管社会治理副书记", "补充协议未公开"},
		{"requested", "申请销号", "周杰", ""},
	}
	if !reflect.DeepEqual(got, want) || s.Closure[1].At != "2021-11-25T08:00:00+08:00" {
		t.Errorf("closure trail: %+v", s.Closure)
	}
	if s.Status != "pending_verification" || s.StatusName != "待销号" || s.Light != "red" || !s.Actions.DecideClosure {
		t.Errorf("立行立改四 for its leader: %s %s %s %+v", s.Status, s.StatusName, s.Light, s.Actions)
	}
	if a := getJSON[taskPage](h, zhouJieID, "tasks/"+strconv.Itoa(int(social))).Actions; a.DecideClosure {
		t.Errorf("周杰 may decide his own closure: %+v", a)
	}
	if a := getJSON[taskPage](h, unitAdminID, "tasks/"+strconv.Itoa(int(social))).Actions; !a.DecideClosure {
		t.Errorf("the unit's admin may not decide: %+v", a)
	}
	if a := getJSON[taskPage](h, supervisorID, "tasks/"+strconv.Itoa(int(social))).Actions; a.DecideClosure {
		t.Errorf("a supervisor may decide: %+v", a)
	}
	// The summary counts what awaits.
	if sum := getJSON[summary](h, unitAdminID, "summary"); sum.AwaitingClosure != 1 || sum.AwaitingDeadline != 1 {
		t.Errorf("awaiting: %d closures, %d deadlines", sum.AwaitingClosure, sum.AwaitingDeadline)
	}
	if sum := getJSON[summary](h, politLeadID, "summary"); sum.AwaitingClosure != 0 || sum.AwaitingDeadline != 1 {
		t.Errorf("政治部主任 awaiting: %d closures, %d deadlines", sum.AwaitingClosure, sum.AwaitingDeadline)
	}
}

// A task outside the caller's reach is refused with nothing of it; one
// that does not exist is not found.
func TestTaskOutsideReach(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()
	social := "tasks/" + strconv.Itoa(int(h.taskID("立行立改四")))
	for _, c := range []struct {
		who    string
		id     int64
		path   string
		status int
		body   string
	}{
		{"刘洋, another department's task", liuYangID, social, http.StatusForbidden, `{"error":"forbidden"}`},
		{"政治部主任, a department not led", politLeadID, social, http.StatusForbidden, `{"error":"forbidden"}`},
		{"a viewer (no task cards in the bot)", viewerID, social, http.StatusForbidden, `{"error":"forbidden"}`},
		{"no such task", unitAdminID, "tasks/999999", http.StatusNotFound, `{"error":"not_found"}`},
		{"not an id", unitAdminID, "tasks/立行立改四", http.StatusNotFound, `{"error":"not_found"}`},
		{"no such call", unitAdminID, "nothing", http.StatusNotFound, `{"error":"not_found"}`},
	} {
		status, body := h.get(c.id, c.path)
		if status != c.status || string(body) != c.body+"\n" {
			t.Errorf("%s: %d %s, want %d %s", c.who, status, body, c.status, c.body)
		}
	}
	for _, id := range []int64{zhouJieID, socialLeadID, unitAdminID, supervisorID, limitedSupID, installAdminID} {
		if status, body := h.get(id, social); status != http.StatusOK {
			t.Errorf("%d: %d %s", id, status, body)
		}
	}
}

func deref2(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
