package miniapp_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/models"
)

// The answers as the page reads them.
type summary struct {
	Lang   string `json:"lang"`
	Person struct {
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
	} `json:"person"`
	Scope struct {
		Label string `json:"label"`
		Units int    `json:"units"`
	} `json:"scope"`
	AsOf             string            `json:"as_of"`
	Total            int               `json:"total"`
	ByStatus         map[string]int    `json:"by_status"`
	StatusNames      map[string]string `json:"status_names"`
	Lights           map[string]int    `json:"lights"`
	OnTimeRate       *float64          `json:"on_time_rate"`
	Overdue          int               `json:"overdue"`
	AwaitingClosure  int               `json:"awaiting_closure"`
	AwaitingDeadline int               `json:"awaiting_deadline"`
	Done             int               `json:"done"`
	CanDecide        bool              `json:"can_decide"`
}

type departments struct {
	Departments []struct {
		ID              uint     `json:"id"`
		Name            string   `json:"name"`
		Unit            string   `json:"unit"`
		Total           int      `json:"total"`
		Done            int      `json:"done"`
		Overdue         int      `json:"overdue"`
		Red             int      `json:"red"`
		Yellow          int      `json:"yellow"`
		Green           int      `json:"green"`
		OnTimeRate      *float64 `json:"on_time_rate"`
		DaysSinceReport *int     `json:"days_since_report"`
		Light           string   `json:"light"`
	} `json:"departments"`
	Units []struct {
		ID               uint     `json:"id"`
		Name             string   `json:"name"`
		Total            int      `json:"total"`
		Done             int      `json:"done"`
		Overdue          int      `json:"overdue"`
		OnTimeRate       *float64 `json:"on_time_rate"`
		AwaitingClosure  int      `json:"awaiting_closure"`
		AwaitingDeadline int      `json:"awaiting_deadline"`
	} `json:"units"`
}

type overdue struct {
	Tasks []struct {
		ID         uint   `json:"id"`
		Code       string `json:"code"`
		Title      string `json:"title"`
		Department string `json:"department"`
		Officer    string `json:"officer"`
		Leader     string `json:"leader"`
		Deadline   string `json:"deadline"`
		DaysLate   int    `json:"days_late"`
		Status     string `json:"status"`
		StatusName string `json:"status_name"`
	} `json:"tasks"`
}

func (d departments) names() []string {
	out := []string{}
	for _, x := range d.Departments {
		out = append(out, x.Name)
	}
	return out
}

func (o overdue) codes() []string {
	out := []string{}
	for _, x := range o.Tasks {
		out = append(out, x.Code)
	}
	return out
}

func rateIs(r *float64, want float64) bool { return r != nil && *r == want }

// The Dongguan ledger on 2021-11-25, counted by hand from the fixture:
// 17 closed and 5 long-term done at their stage (22 done), 3 in progress;
// 立行立改四 (due 10-31) is the one red light, 8(2) (due 11-30) the one
// yellow; 18 dated tasks are due (17 closed, 立行立改四 late), 17 of them
// closed on time (imported closures count as on time): 17/18 = 0.9444.
func TestSummaryForEachRole(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()
	for _, c := range []struct {
		who        string
		id         int64
		roles      []string
		label      string
		total      int
		red, yel   int
		done       int
		rate       *float64
		canDecide  bool
		inProgress int
	}{
		{"督办办", unitAdminID, []string{"admin"}, "市委政法委", 25, 1, 1, 22, ptr(0.9444), true, 3},
		{"观察员", viewerID, []string{"viewer"}, "市委政法委", 25, 1, 1, 22, ptr(0.9444), false, 3},
		// 2, 4, 8(1) closed; 8(2) in progress, yellow.
		{"政治部主任", politLeadID, []string{"leader"}, "市委政法委 · 宣传教育科、政治部", 4, 0, 1, 3, ptr(1.0), true, 1},
		// 6(3), 11(2) closed; 9(2) long-term done; 6(2) and 立行立改四 in
		// progress, 立行立改四 late: 2 on time of 3 due.
		{"分管社会治理副书记", socialLeadID, []string{"leader"}, "市委政法委 · 信息化和网格管理指导科、基层社会治理科", 5, 1, 0, 3, ptr(0.6667), true, 2},
		// An officer's dashboard is their tasks: 4, 8(1), 8(2).
		{"刘洋", liuYangID, []string{"officer"}, "市委政法委 · 政治部", 3, 0, 1, 2, ptr(1.0), false, 1},
		{"周杰", zhouJieID, []string{"officer"}, "市委政法委 · 信息化和网格管理指导科", 3, 1, 0, 2, ptr(0.6667), false, 1},
		{"巡察办", supervisorID, []string{"supervisor"}, "市委政法委", 25, 1, 1, 22, ptr(0.9444), false, 3},
		{"督办管理员", installAdminID, []string{"admin"}, "市委政法委", 25, 1, 1, 22, ptr(0.9444), true, 3},
	} {
		s := getJSON[summary](h, c.id, "summary")
		if s.Person.Name != c.who || !reflect.DeepEqual(s.Person.Roles, c.roles) {
			t.Errorf("%s: person %+v", c.who, s.Person)
		}
		if s.Scope.Label != c.label || s.Scope.Units != 1 {
			t.Errorf("%s: scope %+v, want %q in 1 unit", c.who, s.Scope, c.label)
		}
		if s.Total != c.total || s.Lights["red"] != c.red || s.Lights["yellow"] != c.yel || s.Lights["green"] != c.total-c.red-c.yel ||
			s.Overdue != c.red || s.Done != c.done || s.ByStatus["in_progress"] != c.inProgress {
			t.Errorf("%s: total %d, lights %v, overdue %d, done %d, by status %v; want %d, red %d, yellow %d, done %d, %d in progress",
				c.who, s.Total, s.Lights, s.Overdue, s.Done, s.ByStatus, c.total, c.red, c.yel, c.done, c.inProgress)
		}
		if !rateIs(s.OnTimeRate, *c.rate) {
			t.Errorf("%s: on-time rate %v, want %v", c.who, deref(s.OnTimeRate), *c.rate)
		}
		if s.CanDecide != c.canDecide {
			t.Errorf("%s: can_decide %v", c.who, s.CanDecide)
		}
		if s.AsOf != "2021-11-25" || s.Lang != "zh" || s.StatusNames["pending_verification"] != "待销号" || len(s.ByStatus) != 5 {
			t.Errorf("%s: as of %s, lang %s, names %v, by status %v", c.who, s.AsOf, s.Lang, s.StatusNames, s.ByStatus)
		}
	}
	// The whole unit, status by status.
	s := getJSON[summary](h, unitAdminID, "summary")
	want := map[string]int{"not_started": 0, "in_progress": 3, "pending_verification": 0, "closed": 17, "ongoing": 5}
	if !reflect.DeepEqual(s.ByStatus, want) {
		t.Errorf("by status %v, want %v", s.ByStatus, want)
	}
	// Telegram's language when the person chose none.
	status, body := h.call("summary", "tma "+h.initData(zhouJieID, "en"), nil)
	if status != 200 || !contains(body, `"lang":"en"`) || !contains(body, `"in_progress":"in progress"`) {
		t.Errorf("English: %d %s", status, body)
	}
	// A configured admin, no person: the /lang choice kept for them wins
	// over their Telegram app's language, as in the bot.
	if err := h.store.SetUserLanguage(h.ctx, installAdminID, "zh"); err != nil {
		t.Fatal(err)
	}
	status, body = h.call("summary", "tma "+h.initData(installAdminID, "en"), nil)
	if status != 200 || !contains(body, `"lang":"zh"`) {
		t.Errorf("the configured admin who chose 中文: %d %s", status, body)
	}
}

func TestDepartmentsWithinReach(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()

	// 红黄榜, worst first: 信息化和网格管理指导科 is the one department below
	// an on-time rate of 1 (2 of 3: 立行立改四 late).
	all := getJSON[departments](h, unitAdminID, "departments")
	if len(all.Departments) != 9 || len(all.Units) != 0 {
		t.Fatalf("admin: %d departments, %d units: %v", len(all.Departments), len(all.Units), all.names())
	}
	first := all.Departments[0]
	if first.Name != "信息化和网格管理指导科" || first.Total != 3 || first.Done != 2 || first.Overdue != 1 || first.Light != "red" ||
		!rateIs(first.OnTimeRate, 0.6667) || first.DaysSinceReport != nil {
		t.Errorf("first ranked: %+v", first)
	}
	if last := all.Departments[8]; last.Name != "基层社会治理科" || last.OnTimeRate != nil {
		t.Errorf("last ranked (nothing due yet): %+v", last)
	}

	social := getJSON[departments](h, socialLeadID, "departments")
	if got := social.names(); !reflect.DeepEqual(got, []string{"信息化和网格管理指导科", "基层社会治理科"}) {
		t.Errorf("分管社会治理副书记 sees %v", got)
	}
	polit := getJSON[departments](h, politLeadID, "departments")
	if got := polit.names(); !reflect.DeepEqual(got, []string{"政治部", "宣传教育科"}) {
		t.Errorf("政治部主任 sees %v", got)
	}
	if d := polit.Departments[0]; d.Total != 3 || d.Yellow != 1 || d.Light != "yellow" {
		t.Errorf("政治部: %+v", d)
	}
	liu := getJSON[departments](h, liuYangID, "departments")
	if got := liu.names(); !reflect.DeepEqual(got, []string{"政治部"}) || liu.Departments[0].Total != 3 {
		t.Errorf("刘洋 sees %v", liu.Departments)
	}
	// A report shows as days since.
	if _, err := h.store.AddProgress(h.ctx, addProgress(h.taskID("8(2)"), "已补充入库档案散件12份。"), h.as(liuYangID)); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(asOf.AddDate(0, 0, 2))
	liu = getJSON[departments](h, liuYangID, "departments")
	if d := liu.Departments[0].DaysSinceReport; d == nil || *d != 2 {
		t.Errorf("days since report: %v", liu.Departments[0].DaysSinceReport)
	}
}

func TestOverdueWithinReach(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()
	o := getJSON[overdue](h, unitAdminID, "overdue")
	if len(o.Tasks) != 1 {
		t.Fatalf("overdue: %+v", o)
	}
	if x := o.Tasks[0]; x.Code != "立行立改四" || x.DaysLate != 25 || x.Deadline != "2021-10-31" || x.Officer != "周杰" ||
		x.Leader != "分管社会治理副书记" || x.Department != "信息化和网格管理指导科" || x.Status != "in_progress" || x.StatusName != "整改中" {
		t.Errorf("overdue task: %+v", x)
	}
	for _, c := range []struct {
		who  string
		id   int64
		want []string
	}{
		{"分管社会治理副书记", socialLeadID, []string{"立行立改四"}},
		{"政治部主任", politLeadID, []string{}},
		{"周杰", zhouJieID, []string{"立行立改四"}},
		{"刘洋", liuYangID, []string{}},
		// The bot has no /overdue for a viewer, but their /digest lists it.
		{"观察员", viewerID, []string{"立行立改四"}},
	} {
		if got := getJSON[overdue](h, c.id, "overdue").codes(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: overdue %v, want %v", c.who, got, c.want)
		}
	}
	// A week later 8(2) is late too, and comes after the later one.
	h.clock.Set(asOf.AddDate(0, 0, 7))
	if got := getJSON[overdue](h, politLeadID, "overdue").codes(); !reflect.DeepEqual(got, []string{"8(2)"}) {
		t.Errorf("政治部主任 on 12-02: %v", got)
	}
	if got := getJSON[overdue](h, unitAdminID, "overdue").codes(); !reflect.DeepEqual(got, []string{"立行立改四", "8(2)"}) {
		t.Errorf("admin on 12-02: %v", got)
	}
}

func ptr[T any](v T) *T { return &v }

func deref(r *float64) any {
	if r == nil {
		return nil
	}
	return *r
}

func contains(body []byte, s string) bool { return strings.Contains(string(body), s) }

func addProgress(taskID uint, text string, files ...models.Attachment) models.NewProgress {
	return models.NewProgress{TaskID: taskID, Text: text, Source: models.SourceCommand, Attachments: files}
}
