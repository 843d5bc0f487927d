package models_test

import (
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
)

// seedTwoUnits writes, with the version-6 schema (no units), two units'
// plans as the release before units stored them: one 办公室 and one 书记
// shared by both plans' tasks, each unit with its own officers and leaders
// besides, 书记 linked to Telegram, reports, deadline changes, groups.
func seedTwoUnits(t *testing.T, db *gorm.DB) {
	t.Helper()
	now := time.Date(2021, 10, 8, 9, 0, 0, 0, time.UTC)
	ins := func(query string, args ...any) uint {
		t.Helper()
		var id uint
		if err := db.Raw(query+" RETURNING id", args...).Scan(&id).Error; err != nil || id == 0 {
			t.Fatalf("%s: id %d, %v", query, id, err)
		}
		return id
	}
	exec := func(query string, args ...any) {
		t.Helper()
		if err := db.Exec(query, args...).Error; err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	plan := func(title, team, unit string) (plan, problem uint) {
		plan = ins(`INSERT INTO plans (title, team, unit, feedback_date, time_zone, year, created_at)
			VALUES (?, ?, ?, '2021-08-20', 'Asia/Shanghai', 2021, ?)`, title, team, unit, now)
		cat := ins(`INSERT INTO categories (plan_id, seq, name) VALUES (?, 1, '党的建设不够有力')`, plan)
		problem = ins(`INSERT INTO problems (plan_id, category_id, seq, number, title) VALUES (?, ?, 1, '1', '理论学习不够深入')`, plan, cat)
		return plan, problem
	}
	planA, probA := plan("东莞市委政法委巡察整改", "市委第一巡察组", unitA)
	planB, probB := plan("青禾县教育局巡察整改", "县委第二巡察组", unitB)

	dept := map[string]uint{}
	for _, n := range []string{"办公室", "政治部", "人事股", "档案室"} {
		dept[n] = ins(`INSERT INTO departments (name) VALUES (?)`, n)
	}
	person := map[string]uint{}
	addPerson := func(name, department string, telegram any, seesAll bool, roles ...string) {
		var d any
		if department != "" {
			d = dept[department]
		}
		var linked any
		if telegram != nil {
			linked = now
		}
		person[name] = ins(`INSERT INTO people (name, department_id, telegram_user_id, lang, sees_all, linked_at, created_at)
			VALUES (?, ?, ?, '', ?, ?, ?)`, name, d, telegram, seesAll, linked, now)
		for _, r := range roles {
			exec(`INSERT INTO person_roles (person_id, role) VALUES (?, ?)`, person[name], r)
		}
	}
	addPerson("书记", "", int64(7001), true, "leader", "viewer") // both units' 书记: one row
	addPerson("常务副书记", "", nil, false, "leader")
	addPerson("局长", "", nil, false, "leader")
	addPerson("副局长", "", nil, false, "leader") // leads 人事股, carries no task
	addPerson("张伟", "办公室", nil, false, "officer")
	addPerson("刘洋", "政治部", nil, false, "officer")
	addPerson("李娜", "办公室", nil, false, "officer") // the second unit's 办公室 officer
	addPerson("陈静", "人事股", nil, false, "officer")
	addPerson("整改办", "", int64(7002), false, "admin")
	for _, l := range [][2]string{{"办公室", "书记"}, {"办公室", "常务副书记"}, {"办公室", "局长"},
		{"政治部", "常务副书记"}, {"人事股", "局长"}, {"人事股", "副局长"}} {
		exec(`INSERT INTO department_leaders (department_id, person_id) VALUES (?, ?)`, dept[l[0]], person[l[1]])
	}

	task := map[string]uint{}
	for i, tc := range []struct {
		plan, problem               uint
		code, dept, leader, officer string
		status                      string
	}{
		{planA, probA, "A-1", "办公室", "书记", "张伟", "in_progress"},
		{planA, probA, "A-2", "政治部", "常务副书记", "刘洋", "closed"},
		{planA, probA, "A-3", "办公室", "常务副书记", "张伟", "not_started"},
		{planB, probB, "B-1", "办公室", "书记", "李娜", "in_progress"},
		{planB, probB, "B-2", "人事股", "局长", "陈静", "in_progress"},
		{planB, probB, "B-3", "办公室", "局长", "李娜", "not_started"},
	} {
		task[tc.code] = ins(`INSERT INTO tasks (plan_id, problem_id, seq, code, title, detail, department_id, leader_id,
				officer_id, status, deadline, original_deadline, long_term, recurrence, created_at, updated_at)
			VALUES (?, ?, ?, ?, '制定学习计划', '', ?, ?, ?, ?, '2021-12-31', '2021-12-31', false, '', ?, ?)`,
			tc.plan, tc.problem, i+1, tc.code, dept[tc.dept], person[tc.leader], person[tc.officer], tc.status, now, now)
		exec(`INSERT INTO measures (task_id, seq, text, done) VALUES (?, 1, '制定年度学习计划', false)`, task[tc.code])
	}
	for _, e := range [][3]string{{"A-1", "张伟", "已起草学习计划。"}, {"B-1", "李娜", "已报送学习计划。"}, {"B-1", "书记", "请抓紧落实。"}} {
		ins(`INSERT INTO progress_entries (task_id, author_id, text, source, created_at) VALUES (?, ?, ?, 'telegram', ?)`,
			task[e[0]], person[e[1]], e[2], now)
	}
	exec(`INSERT INTO deadline_changes (task_id, old_deadline, new_deadline, reason, changed_by_id, created_at,
			state, decided_by_id, decided_at, decision_reason)
		VALUES (?, '2021-12-31', '2022-03-31', '需分批落实', ?, ?, 'approved', ?, ?, '')`,
		task["B-1"], person["李娜"], now, person["书记"], now)
	exec(`INSERT INTO deadline_changes (task_id, old_deadline, new_deadline, reason, changed_by_id, created_at, state, decision_reason)
		VALUES (?, '2021-12-31', '2022-01-31', '需结合年度计划', ?, ?, 'pending', '')`, task["A-1"], person["张伟"], now)
	exec(`INSERT INTO invites (code_hash, person_id, role, expires_at, created_by, created_at)
		VALUES ('hash-of-an-open-invite', ?, 'leader', ?, 'cli', ?)`, person["局长"], now.Add(72*time.Hour), now)
	for _, g := range []struct {
		chat  int64
		title string
		depts []string
	}{{-1001, "政法委整改群", []string{"办公室"}}, {-1002, "教育局整改群", []string{"人事股"}}, {-1003, "巡察办", nil}} {
		id := ins(`INSERT INTO groups (chat_id, title, digests, closures, escalations, registered_by_id, created_at, updated_at)
			VALUES (?, ?, true, true, false, ?, ?, ?)`, g.chat, g.title, person["整改办"], now, now)
		for _, d := range g.depts {
			exec(`INSERT INTO group_departments (group_id, department_id) VALUES (?, ?)`, id, dept[d])
		}
	}
}

// countedTables keep every row through the migration.
var countedTables = []string{"plans", "categories", "problems", "tasks", "measures", "progress_entries",
	"attachments", "deadline_changes", "audit_events", "invites", "groups", "group_departments",
	"deliveries", "notifications"}

func rowCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	n := map[string]int64{}
	for _, table := range countedTables {
		n[table] = count(t, db, "SELECT count(*) FROM "+table)
	}
	return n
}

func assertCountsKept(t *testing.T, before, after map[string]int64) {
	t.Helper()
	for _, table := range countedTables {
		if before[table] != after[table] {
			t.Errorf("%s: %d rows before the migration, %d after", table, before[table], after[table])
		}
	}
}

// assertUnitsWhole checks what holds of every migrated installation: each
// plan has the unit it names, and nothing of a unit points into another.
func assertUnitsWhole(t *testing.T, db *gorm.DB, loc dburl.Location) {
	t.Helper()
	for _, c := range []struct{ what, query string }{
		{"plans without the unit they name", `SELECT count(*) FROM plans p LEFT JOIN units u ON u.id = p.unit_id
			WHERE u.name IS NULL OR u.name <> p.unit`},
		{"units of no plan and no department", `SELECT count(*) FROM units u WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.unit_id = u.id)
			AND NOT EXISTS (SELECT 1 FROM departments d WHERE d.unit_id = u.id)`},
		{"tasks whose department is another unit's", `SELECT count(*) FROM tasks t JOIN plans p ON p.id = t.plan_id
			JOIN departments d ON d.id = t.department_id WHERE d.unit_id <> p.unit_id`},
		{"tasks whose leader or officer is another unit's", `SELECT count(*) FROM tasks t JOIN plans p ON p.id = t.plan_id
			JOIN people l ON l.id = t.leader_id JOIN people o ON o.id = t.officer_id
			WHERE l.unit_id IS NULL OR o.unit_id IS NULL OR l.unit_id <> p.unit_id OR o.unit_id <> p.unit_id`},
		{"officers of another unit's department", `SELECT count(*) FROM people pe JOIN departments d ON d.id = pe.department_id
			WHERE pe.unit_id IS NULL OR pe.unit_id <> d.unit_id`},
		{"leaders of another unit's department", `SELECT count(*) FROM department_leaders dl JOIN departments d ON d.id = dl.department_id
			JOIN people pe ON pe.id = dl.person_id WHERE pe.unit_id IS NULL OR pe.unit_id <> d.unit_id`},
		{"groups of a unit following another unit's department", `SELECT count(*) FROM group_departments gd
			JOIN groups g ON g.id = gd.group_id JOIN departments d ON d.id = gd.department_id WHERE g.unit_id <> d.unit_id`},
		{"departments without a unit", `SELECT count(*) FROM departments WHERE unit_id IS NULL`},
	} {
		if n := count(t, db, c.query); n != 0 {
			t.Errorf("%d %s", n, c.what)
		}
	}
	if loc.Dialect != dburl.SQLite {
		return
	}
	// 00009 rebuilt tables with foreign keys off: every reference must still
	// hold, and foreign keys must be on again for the connection.
	rows, err := db.Raw("PRAGMA foreign_key_check").Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var broken []string
	for rows.Next() {
		var table, parent string
		var rowid, fk any
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(broken, table+"→"+parent) {
			broken = append(broken, table+"→"+parent)
		}
	}
	if len(broken) > 0 {
		t.Errorf("foreign_key_check after the migration: %v", broken)
	}
	if on := count(t, db, "PRAGMA foreign_keys"); on != 1 {
		t.Errorf("foreign keys are off after the migration")
	}
}
