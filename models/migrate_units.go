package models

// Migration 00008 gives every plan, department and person of an existing
// installation its unit (the tables and columns come from 00007). It is Go,
// not SQL, because a department or person that two units' plans share must
// become two — one per unit — with every task, role and leadership of the
// second unit moved to the copy, and the migration must say so in its log.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/rectibot/rectibot/dburl"
)

// unitsMigration is 00008 for the dialect, logging what it splits to log.
func unitsMigration(d dburl.Dialect, log *slog.Logger) *goose.Migration {
	up := func(ctx context.Context, tx *sql.Tx) error {
		m := &unitsMover{tx: tx, d: d, log: log, now: time.Now().UTC()}
		return m.run(ctx)
	}
	// Down leaves the units as they are: 00007's down drops the columns.
	down := func(context.Context, *sql.Tx) error { return nil }
	return goose.NewGoMigration(8, &goose.GoFunc{RunTx: up}, &goose.GoFunc{RunTx: down})
}

type unitsMover struct {
	tx  *sql.Tx
	d   dburl.Dialect
	log *slog.Logger
	now time.Time
}

// q rewrites ? placeholders as the dialect wants them.
func (m *unitsMover) q(query string) string {
	if m.d != dburl.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// timeParam is a time parameter in a SELECT list, where PostgreSQL cannot
// infer its type.
func (m *unitsMover) timeParam() string {
	if m.d == dburl.Postgres {
		return "CAST(? AS timestamptz)"
	}
	return "?"
}

func (m *unitsMover) exec(ctx context.Context, query string, args ...any) error {
	if _, err := m.tx.ExecContext(ctx, m.q(query), args...); err != nil {
		return fmt.Errorf("units migration: %s: %w", strings.Fields(query)[0], err)
	}
	return nil
}

func (m *unitsMover) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := m.tx.QueryContext(ctx, m.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("units migration: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("units migration: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (m *unitsMover) run(ctx context.Context) error {
	// Each plan's unit (its 被巡察单位, by name) becomes a unit, in the order
	// the plans were imported: the first unit keeps what two units shared
	// (and its Telegram links), the others get the copies.
	// (A plan imported without a unit names "", which becomes an unnamed
	// unit, as an import without one does now.)
	if err := m.exec(ctx, `INSERT INTO units (name, short_name, self_name, created_at)
		SELECT unit, '', '', `+m.timeParam()+` FROM plans GROUP BY unit ORDER BY MIN(id)`, m.now); err != nil {
		return err
	}
	if err := m.exec(ctx, `UPDATE plans SET unit_id = (SELECT u.id FROM units u WHERE u.name = plans.unit)`); err != nil {
		return err
	}
	units, err := m.ids(ctx, `SELECT id FROM units ORDER BY id`)
	if err != nil {
		return err
	}
	if len(units) == 0 {
		// No plan yet. A department added by hand with its officer still
		// needs a unit (00009 requires one): the unnamed unit.
		depts, err := m.ids(ctx, `SELECT id FROM departments`)
		if err != nil || len(depts) == 0 {
			return err // a fresh installation: nothing to move
		}
		unit, err := m.insertCopy(ctx, `INSERT INTO units (name, short_name, self_name, created_at) VALUES ('', '', '', ?)`, m.now)
		if err != nil {
			return err
		}
		units = []int64{unit}
	}
	if err := m.departments(ctx, units); err != nil {
		return err
	}
	if err := m.people(ctx, units); err != nil {
		return err
	}
	// A shared department's leaders were those of every unit's tasks: each
	// unit's department keeps its own unit's.
	if err := m.exec(ctx, `DELETE FROM department_leaders WHERE EXISTS (SELECT 1 FROM people pe, departments d
		WHERE pe.id = department_leaders.person_id AND d.id = department_leaders.department_id AND pe.unit_id <> d.unit_id)`); err != nil {
		return err
	}
	return m.groups(ctx, units)
}

// departments gives each department the unit whose plans' tasks name it; a
// department named by several units' tasks is copied into each further unit.
// A department no task names goes to the first unit.
func (m *unitsMover) departments(ctx context.Context, units []int64) error {
	depts, err := m.ids(ctx, `SELECT id FROM departments ORDER BY id`)
	if err != nil {
		return err
	}
	for _, dept := range depts {
		uses, err := m.ids(ctx, `SELECT DISTINCT p.unit_id FROM tasks t JOIN plans p ON p.id = t.plan_id
			WHERE t.department_id = ? ORDER BY p.unit_id`, dept)
		if err != nil {
			return err
		}
		if len(uses) == 0 {
			uses = units[:1]
		}
		if err := m.exec(ctx, `UPDATE departments SET unit_id = ? WHERE id = ?`, uses[0], dept); err != nil {
			return err
		}
		for _, unit := range uses[1:] {
			copyID, err := m.insertCopy(ctx, `INSERT INTO departments (name, unit_id) SELECT name, ? FROM departments WHERE id = ?`, unit, dept)
			if err != nil {
				return err
			}
			inUnit := `plan_id IN (SELECT id FROM plans WHERE unit_id = ?)`
			if err := m.exec(ctx, `UPDATE tasks SET department_id = ? WHERE department_id = ? AND `+inUnit, copyID, dept, unit); err != nil {
				return err
			}
			if err := m.exec(ctx, `INSERT INTO department_leaders (department_id, person_id)
				SELECT ?, person_id FROM department_leaders WHERE department_id = ?`, copyID, dept); err != nil {
				return err
			}
			m.log.InfoContext(ctx, "units migration: a department named by two units became two",
				slog.String("name", m.nameOf(ctx, "departments", dept)), slog.Int64("department", dept),
				slog.Int64("copy", copyID), slog.String("unit", m.nameOf(ctx, "units", unit)))
		}
	}
	return nil
}

// people gives each person the unit whose tasks they lead or carry (else
// their department's, else those of the departments they lead); a person
// of several units is copied into each further unit, with their roles, and
// that unit's tasks and led departments move to the copy. A person of no
// unit (an admin added by hand) stays above the units.
func (m *unitsMover) people(ctx context.Context, units []int64) error {
	people, err := m.ids(ctx, `SELECT id FROM people ORDER BY id`)
	if err != nil {
		return err
	}
	for _, person := range people {
		uses, err := m.ids(ctx, `SELECT DISTINCT p.unit_id FROM tasks t JOIN plans p ON p.id = t.plan_id
			WHERE t.leader_id = ? OR t.officer_id = ? ORDER BY p.unit_id`, person, person)
		if err != nil {
			return err
		}
		if len(uses) == 0 {
			if uses, err = m.ids(ctx, `SELECT d.unit_id FROM people pe JOIN departments d ON d.id = pe.department_id WHERE pe.id = ?`, person); err != nil {
				return err
			}
		}
		if len(uses) == 0 {
			if uses, err = m.ids(ctx, `SELECT DISTINCT d.unit_id FROM department_leaders dl JOIN departments d ON d.id = dl.department_id
				WHERE dl.person_id = ? ORDER BY d.unit_id`, person); err != nil {
				return err
			}
		}
		if len(uses) == 0 && len(units) == 1 {
			// A person added by hand in an installation of one unit (a
			// viewer, a leader without tasks yet) is that unit's: above
			// the units they would read every unit imported later. Only
			// the office (admins, supervisors) stays above.
			office, err := m.ids(ctx, `SELECT person_id FROM person_roles WHERE person_id = ? AND role IN ('admin', 'supervisor')`, person)
			if err != nil {
				return err
			}
			if len(office) == 0 {
				uses = units
			}
		}
		if len(uses) == 0 {
			continue
		}
		if err := m.exec(ctx, `UPDATE people SET unit_id = ? WHERE id = ?`, uses[0], person); err != nil {
			return err
		}
		for _, unit := range uses[1:] {
			if err := m.splitPerson(ctx, person, unit); err != nil {
				return err
			}
		}
		// The officer's department is the one of their own unit.
		if err := m.exec(ctx, `UPDATE people SET department_id = (SELECT d2.id FROM departments d1 JOIN departments d2
				ON d2.name = d1.name AND d2.unit_id = ? WHERE d1.id = people.department_id)
			WHERE id = ? AND department_id IS NOT NULL`, uses[0], person); err != nil {
			return err
		}
	}
	return nil
}

func (m *unitsMover) splitPerson(ctx context.Context, person, unit int64) error {
	copyID, err := m.insertCopy(ctx, `INSERT INTO people (name, department_id, lang, sees_all, created_at, unit_id)
		SELECT name, (SELECT d2.id FROM departments d1 JOIN departments d2 ON d2.name = d1.name AND d2.unit_id = ?
			WHERE d1.id = people.department_id), lang, sees_all, created_at, ? FROM people WHERE id = ?`, unit, unit, person)
	if err != nil {
		return err
	}
	inUnit := `plan_id IN (SELECT id FROM plans WHERE unit_id = ?)`
	tasksInUnit := `task_id IN (SELECT id FROM tasks WHERE ` + inUnit + `)`
	steps := []struct {
		query string
		args  []any
	}{
		{`INSERT INTO person_roles (person_id, role) SELECT ?, role FROM person_roles WHERE person_id = ?`, []any{copyID, person}},
		{`UPDATE tasks SET leader_id = ? WHERE leader_id = ? AND ` + inUnit, []any{copyID, person, unit}},
		{`UPDATE tasks SET officer_id = ? WHERE officer_id = ? AND ` + inUnit, []any{copyID, person, unit}},
		{`UPDATE department_leaders SET person_id = ? WHERE person_id = ? AND department_id IN (SELECT id FROM departments WHERE unit_id = ?)`,
			[]any{copyID, person, unit}},
		// What they wrote and decided on that unit's tasks is the copy's, so
		// the copy, once linked, cannot approve a request of their own.
		{`UPDATE progress_entries SET author_id = ? WHERE author_id = ? AND ` + tasksInUnit, []any{copyID, person, unit}},
		{`UPDATE deadline_changes SET changed_by_id = ? WHERE changed_by_id = ? AND ` + tasksInUnit, []any{copyID, person, unit}},
		{`UPDATE deadline_changes SET decided_by_id = ? WHERE decided_by_id = ? AND ` + tasksInUnit, []any{copyID, person, unit}},
	}
	for _, s := range steps {
		if err := m.exec(ctx, s.query, s.args...); err != nil {
			return err
		}
	}
	m.log.InfoContext(ctx, "units migration: a person named in two units became two; a Telegram link stays with the first, the copy is invited again",
		slog.String("name", m.nameOf(ctx, "people", person)), slog.Int64("person", person),
		slog.Int64("copy", copyID), slog.String("unit", m.nameOf(ctx, "units", unit)))
	return nil
}

// groups binds each group to the unit of the departments it follows, or,
// following every department, to the one unit there is. A group that heard
// several units stays above them (the supervisors' group): the log says
// so, for the office to bind it again.
func (m *unitsMover) groups(ctx context.Context, units []int64) error {
	ofGroup := `FROM group_departments gd JOIN departments d ON d.id = gd.department_id WHERE gd.group_id = groups.id`
	if err := m.exec(ctx, `UPDATE groups SET unit_id = (SELECT MIN(d.unit_id) `+ofGroup+`)
		WHERE (SELECT COUNT(DISTINCT d.unit_id) `+ofGroup+`) = 1`); err != nil {
		return err
	}
	if len(units) == 1 {
		return m.exec(ctx, `UPDATE groups SET unit_id = ? WHERE unit_id IS NULL`, units[0])
	}
	above, err := m.ids(ctx, `SELECT id FROM groups WHERE unit_id IS NULL ORDER BY id`)
	if err != nil {
		return err
	}
	for _, g := range above {
		var chat int64
		var title string
		if err := m.tx.QueryRowContext(ctx, m.q(`SELECT chat_id, title FROM groups WHERE id = ?`), g).Scan(&chat, &title); err != nil {
			return fmt.Errorf("units migration: %w", err)
		}
		m.log.WarnContext(ctx, "units migration: a group heard several units and is now the supervisors' group; register it again in its unit if it is one unit's",
			slog.String("title", title), slog.Int64("chat", chat))
	}
	return nil
}

// nameOf is a row's name, for the log.
func (m *unitsMover) nameOf(ctx context.Context, table string, id int64) string {
	var name string
	_ = m.tx.QueryRowContext(ctx, m.q(`SELECT name FROM `+table+` WHERE id = ?`), id).Scan(&name)
	return name
}

// insertCopy runs an INSERT … SELECT and returns the new row's id.
func (m *unitsMover) insertCopy(ctx context.Context, query string, args ...any) (int64, error) {
	if m.d == dburl.Postgres {
		var id int64
		if err := m.tx.QueryRowContext(ctx, m.q(query+" RETURNING id"), args...).Scan(&id); err != nil {
			return 0, fmt.Errorf("units migration: copy: %w", err)
		}
		return id, nil
	}
	res, err := m.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("units migration: copy: %w", err)
	}
	return res.LastInsertId()
}
