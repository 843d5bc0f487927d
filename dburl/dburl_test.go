package dburl

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_DATA_HOME", xdg)
	tests := []struct {
		raw     string
		dialect Dialect
		path    string
	}{
		{"", SQLite, filepath.Join(xdg, "rectibot", "rectibot.db")},
		{"sqlite:/var/lib/rectibot/r.db", SQLite, "/var/lib/rectibot/r.db"},
		{"sqlite:///var/lib/rectibot/r.db", SQLite, "/var/lib/rectibot/r.db"}, // sqlite:// + an absolute path
		{"sqlite:data/r.db", SQLite, "data/r.db"},
		{"postgres://u:p@db:5432/rectibot?sslmode=disable", Postgres, ""},
		{"postgresql://u@db/rectibot", Postgres, ""},
	}
	for _, tt := range tests {
		loc, err := Parse(tt.raw)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.raw, err)
			continue
		}
		if loc.Dialect != tt.dialect || loc.Path != tt.path {
			t.Errorf("Parse(%q) = %+v, want %s at %q", tt.raw, loc, tt.dialect, tt.path)
		}
		switch tt.dialect {
		case Postgres:
			if loc.DSN != tt.raw {
				t.Errorf("Parse(%q): DSN %q, want the URL as given", tt.raw, loc.DSN)
			}
		case SQLite:
			// Without foreign keys the schema's ON DELETE rules do nothing,
			// and without busy_timeout a second process fails at once.
			if !strings.HasPrefix(loc.DSN, tt.path+"?") || !strings.Contains(loc.DSN, "foreign_keys(1)") ||
				!strings.Contains(loc.DSN, "busy_timeout") {
				t.Errorf("Parse(%q): DSN %q", tt.raw, loc.DSN)
			}
		}
	}
}

func TestParseRefusesWithoutEchoingSecrets(t *testing.T) {
	for _, raw := range []string{
		"mysql://root:hunter2@x/db",
		"sqlite:",
		"postgres://u:hunter2@db:5432/%zz", // an invalid escape: url.Parse fails
	} {
		_, err := Parse(raw)
		if err == nil {
			t.Errorf("Parse(%q) accepted", raw)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "DATABASE_URL: ") || strings.Contains(msg, "hunter2") {
			t.Errorf("Parse(%q): %q should name DATABASE_URL and not echo the password", raw, msg)
		}
	}
}

func TestDefaultSQLitePathWithoutXDG(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", home)
	p, err := DefaultSQLitePath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, ".local", "share", "rectibot", "rectibot.db"); p != want {
		t.Errorf("DefaultSQLitePath() = %q, want %q", p, want)
	}
}
