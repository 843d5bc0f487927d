// Command fixture drives the release before units through its own Store:
// a linked leader, reports, deadline requests and groups, as the bot would.
package main

import (
	"context"
	"log"
	"os"
	"time"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

func main() {
	ctx := context.Background()
	loc, err := dburl.Parse(os.Getenv("DATABASE_URL"))
	must(err)
	db, err := models.Open(ctx, loc, nil)
	must(err)
	s := models.NewStore(db, nil)
	id := func(q string, args ...any) uint {
		var v uint
		must(db.Raw(q, args...).Scan(&v).Error)
		if v == 0 {
			log.Fatalf("no row: %s %v", q, args)
		}
		return v
	}
	person := func(name string) models.Actor {
		pid := id("SELECT id FROM people WHERE name = ?", name)
		return models.Actor{PersonID: &pid, Label: "telegram:" + name}
	}
	task := func(plan, code string) uint {
		return id("SELECT t.id FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE p.title = ? AND t.code = ?", plan, code)
	}
	const dg, qh = "东莞市委政法委巡察整改", "青禾县教育局巡察整改"

	// 书记 links Telegram; the 整改办 is added by hand as admin.
	code, _, err := s.CreateInvite(ctx, "书记", ledger.RoleLeader, 72*time.Hour, models.CLIActor)
	must(err)
	_, err = s.RedeemInvite(ctx, code, 7001)
	must(err)
	_, err = s.AddPerson(ctx, "整改办", "", ledger.RoleAdmin, models.CLIActor)
	must(err)
	_, _, err = s.CreateInvite(ctx, "党组书记、局长", ledger.RoleLeader, 72*time.Hour, models.CLIActor)
	must(err)

	// Reports on both units' tasks of the shared 机关党委, one by 书记.
	for _, p := range []struct {
		task uint
		who  string
		text string
	}{
		{task(dg, "3"), "王芳", "已组织专题学习一次。"},
		{task(qh, "2"), "孙丽", "第二期轮训已排期。"},
		{task(qh, "2"), "书记", "请抓紧推进轮训。"},
	} {
		_, err := s.AddProgress(ctx, models.NewProgress{TaskID: p.task, Text: p.text, Source: "telegram"}, person(p.who))
		must(err)
	}
	// A new deadline asked and approved in 青禾; one asked and open in 东莞.
	req, err := s.RequestDeadline(ctx, task(qh, "2"), ledger.Date{Year: 2022, Month: 6, Day: 30}, "轮训需分批进行", person("孙丽"))
	must(err)
	_, err = s.DecideDeadline(ctx, models.DeadlineDecision{RequestID: req.ID, Approve: true}, person("书记"))
	must(err)
	_, err = s.RequestDeadline(ctx, task(dg, "6(2)"), ledger.Date{Year: 2022, Month: 3, Day: 31}, "需结合年度计划", person("黄敏"))
	must(err)

	// Groups: one per unit by department, one hearing every department.
	for _, g := range []models.GroupSettings{
		{ChatID: -1001, Title: "政法委整改群", Digests: true, Closures: true, DepartmentIDs: []uint{id("SELECT id FROM departments WHERE name = '机关党委'")}},
		{ChatID: -1002, Title: "教育局整改群", Digests: true, DepartmentIDs: []uint{id("SELECT id FROM departments WHERE name = '基础教育股'")}},
		{ChatID: -1003, Title: "巡察办", Digests: true, Escalations: true},
	} {
		must(s.SaveGroup(ctx, g, models.CLIActor))
	}
	must(models.Close(db))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
