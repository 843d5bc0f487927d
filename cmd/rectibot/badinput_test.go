package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/internal/fixture"
)

// brokenCopy writes the fixture's plan.csv with one change made by edit.
func brokenCopy(t *testing.T, name string, edit func(recs [][]string) [][]string) string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "plan.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := csv.NewWriter(&buf).WriteAll(edit(recs)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBadFilesAreRefusedByRowAndColumnAndChangeNothing(t *testing.T) {
	cases := []struct {
		name string
		file func(t *testing.T) string
		want []string
	}{
		{"bad date", func(t *testing.T) string {
			return brokenCopy(t, "bad-date.csv", func(r [][]string) [][]string { r[3][9] = "2021-13-01"; return r })
		}, []string{"row 4, column 整改时限", "2021-13-01", "expected", "长期坚持"}},
		{"missing column", func(t *testing.T) string {
			return brokenCopy(t, "no-deadline.csv", func(r [][]string) [][]string {
				for i := range r {
					r[i] = r[i][:9]
				}
				return r
			})
		}, []string{"整改时限", "missing"}},
		{"empty required cell", func(t *testing.T) string {
			return brokenCopy(t, "no-officer.csv", func(r [][]string) [][]string { r[7][8] = ""; return r })
		}, []string{"row 8, column 责任人"}},
		{"duplicate 序号", func(t *testing.T) string {
			return brokenCopy(t, "dup.csv", func(r [][]string) [][]string { r[5][0] = "2"; return r })
		}, []string{"row 6, column 序号", "row 3"}},
		{"unknown status", func(t *testing.T) string {
			return brokenCopy(t, "status.csv", func(r [][]string) [][]string {
				r[0] = append(r[0], "整改状态")
				for i := 1; i < len(r); i++ {
					r[i] = append(r[i], "已完成")
				}
				r[10] = append(r[10][:10], "差不多了")
				return r
			})
		}, []string{"row 11, column 整改状态", "差不多了"}},
		{"several bad rows", func(t *testing.T) string {
			return brokenCopy(t, "many.csv", func(r [][]string) [][]string { r[2][9] = "明年"; r[20][9] = "2021-02-30"; return r })
		}, []string{"row 3, column 整改时限", "row 21, column 整改时限"}},
		{"not a table", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "photo.csv")
			os.WriteFile(p, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), 0o600)
			return p
		}, []string{"序号"}},
		{"20 MB file", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "huge.csv")
			os.WriteFile(p, bytes.Repeat([]byte("序号,问题类别\n"), 20<<20/20), 0o600)
			return p
		}, []string{"MB"}},
		{"unsupported extension", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "ledger.xls")
			os.WriteFile(p, []byte("x"), 0o600)
			return p
		}, []string{".xlsx"}},
		{"no such file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "absent.csv") }, []string{"absent.csv"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			r := c.run(append([]string{"import", tc.file(t)}, dongguanFlags...)...)
			if r.code != exitBadInput {
				t.Fatalf("exit %d (%v), want %d", r.code, r.err, exitBadInput)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.err.Error(), w) {
					t.Errorf("message lacks %q:\n%v", w, r.err)
				}
			}
			// Nothing changed: the ledger is still empty.
			people := c.mustRun("people")
			if !strings.Contains(people, "no people yet") {
				t.Errorf("a refused import left people behind:\n%s", people)
			}
			if d := c.run("digest"); d.err == nil || !strings.Contains(d.err.Error(), "no plan") {
				t.Errorf("a refused import left a plan behind: %v\n%s", d.err, d.out)
			}
		})
	}
}

func TestDryRunAndReimport(t *testing.T) {
	c := newCLI(t)
	path := fixture.Path(t, fixture.Dongguan, "plan.csv")
	out := c.importFile(path, "--dry-run")
	if !strings.Contains(out, "dry run: would import") || !strings.Contains(out, "25 tasks") {
		t.Errorf("dry run output:\n%s", out)
	}
	if !strings.Contains(c.mustRun("people"), "no people yet") {
		t.Error("dry run wrote people")
	}
	c.importFile(path)
	r := c.run(append([]string{"import", path}, dongguanFlags...)...)
	if r.code != exitBadInput || !strings.Contains(r.err.Error(), "already exists") {
		t.Errorf("re-import: exit %d, %v", r.code, r.err)
	}
	// A deadline without a year and no plan year is reported, not guessed.
	r = c.run("import", path, "--plan-title", "no year")
	if r.code != exitBadInput || !strings.Contains(r.err.Error(), "row 26, column 整改时限") {
		t.Errorf("import without a plan year: exit %d, %v", r.code, r.err)
	}
}

func TestPeopleAndInvites(t *testing.T) {
	c := newCLI(t)
	c.importFile(fixture.Path(t, fixture.Dongguan, "plan.csv"))
	out := c.mustRun("people")
	if !strings.Contains(out, "14 people, 0 linked") || !strings.Contains(out, "周杰") {
		t.Errorf("people:\n%s", out)
	}
	out = c.mustRun("invite", "--person", "周杰", "--role", "officer", "--ttl", "48h")
	if !strings.HasPrefix(out, "https://t.me/zhenggai_bot?start=") || !strings.Contains(out, "single use") {
		t.Errorf("invite output:\n%s", out)
	}
	if r := c.run("invite", "--person", "无名氏", "--role", "officer"); r.code != exitBadInput || !strings.Contains(r.err.Error(), "无名氏") {
		t.Errorf("invite for unknown person: exit %d, %v", r.code, r.err)
	}
	if r := c.run("invite", "--person", "周杰", "--role", "boss"); r.code != exitUsage {
		t.Errorf("invite with unknown role: exit %d, %v", r.code, r.err)
	}
	c.mustRun("people", "add", "督办办主任", "--role", "admin")
	if out := c.mustRun("people"); !strings.Contains(out, "督办办主任") || !strings.Contains(out, "admin") {
		t.Errorf("added admin not listed:\n%s", out)
	}
	delete(c.env, "RECTIBOT_BOT_USERNAME")
	if r := c.run("invite", "--person", "周杰", "--role", "officer"); r.code != exitConfig || !strings.Contains(r.err.Error(), "RECTIBOT_BOT_USERNAME") {
		t.Errorf("invite without a bot username: exit %d, %v", r.code, r.err)
	}
}

func TestBadConfigurationStopsWithTheVariableNamed(t *testing.T) {
	c := newCLI(t)
	c.env["DATABASE_URL"] = "mysql://root:pw@localhost/x"
	c.env["RECTIBOT_ADMINS"] = "abc"
	r := c.run("migrate")
	if r.code != exitConfig || !strings.Contains(r.err.Error(), "DATABASE_URL") || !strings.Contains(r.err.Error(), "RECTIBOT_ADMINS") {
		t.Errorf("exit %d, %v", r.code, r.err)
	}
	if r := newCLI(t).run("import"); r.code != exitUsage {
		t.Errorf("import without a file: exit %d, %v", r.code, r.err)
	}
	if r := newCLI(t).run("digest", "--as-of", "yesterday"); r.code != exitUsage {
		t.Errorf("digest --as-of yesterday: exit %d, %v", r.code, r.err)
	}
}
