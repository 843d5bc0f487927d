package bot

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The dashboard and the alert rules in deploy/ name the bot's series; this
// keeps them from drifting apart: every series they name is one the bot
// registers.

const (
	dashboardFile = "../deploy/grafana-dashboard.json"
	alertsFile    = "../deploy/prometheus-alerts.yaml"
)

// registeredSeries scrapes a bot whose every series has a value: the
// counters and the histogram observed once, the state read, a readiness
// check run. Name → type (HISTOGRAM, …; client_model is only an indirect
// dependency, so not imported).
func registeredSeries(t *testing.T) map[string]string {
	t.Helper()
	e := newEdgeWith(t, tgfakeNoLimits, generous, func(o *Options) {
		o.Ready = map[string]func(context.Context) error{"database": func(context.Context) error { return nil }}
		o.State = func(context.Context) (State, error) {
			return State{FailedUpdates: 1, UnreachablePeople: 1, Jobs: []JobState{{Queue: "send", Kind: "notify", Discarded: 1, Late: 1}}}, nil
		}
	})
	m := e.bot.Metrics()
	m.updates.WithLabelValues("message", "ok").Inc()
	m.latency.WithLabelValues("message").Observe(0.01)
	m.sends.WithLabelValues("sendMessage", "ok").Inc()
	m.limited.Inc()
	m.inbox.WithLabelValues("message", "handled").Inc()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, f := range families {
		names[f.GetName()] = f.GetType().String()
	}
	return names
}

var seriesName = regexp.MustCompile(`\b(?:rectibot|go|process)_[a-z0-9_]+\b`)

// knownSeries reports whether a name in a query is registered, a
// histogram's _bucket, _sum or _count included.
func knownSeries(names map[string]string, name string) bool {
	if _, ok := names[name]; ok {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && names[base] == "HISTOGRAM" {
			return true
		}
	}
	return false
}

func TestDashboardAndAlertsNameOnlyTheBotsSeries(t *testing.T) {
	names := registeredSeries(t)
	queries := map[string][]string{dashboardFile: dashboardQueries(t), alertsFile: nil}
	for _, r := range alertRules(t) {
		queries[alertsFile] = append(queries[alertsFile], r.expr)
	}
	for file, exprs := range queries {
		used := map[string]bool{}
		for _, expr := range exprs {
			for _, name := range seriesName.FindAllString(expr, -1) {
				used[name] = true
				if !knownSeries(names, name) {
					t.Errorf("%s: %s is not a series the bot registers (in %s)", file, name, expr)
				}
			}
		}
		// What the alerts are about must be on both.
		for _, want := range []string{"rectibot_inbox_failed_updates", "rectibot_telegram_429_total", "rectibot_jobs_discarded",
			"rectibot_jobs_behind_schedule", "rectibot_people_unreachable", "rectibot_ready"} {
			if !used[want] {
				t.Errorf("%s does not show %s", file, want)
			}
		}
	}
}

// dashboardQueries checks the dashboard's shape (its data source an input
// chosen at import) and returns every query in it.
func dashboardQueries(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Inputs []struct{ Name, Type, PluginID string } `json:"__inputs"`
		Panels []struct {
			Title      string
			Datasource *struct{ UID string }
			Targets    []struct {
				Expr       string
				Datasource struct{ UID string }
			}
		}
		Title string
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	if !slices.ContainsFunc(d.Inputs, func(in struct{ Name, Type, PluginID string }) bool {
		return in.Name == "DS_PROMETHEUS" && in.Type == "datasource" && in.PluginID == "prometheus"
	}) {
		t.Errorf("%s: no DS_PROMETHEUS data source input: %+v", dashboardFile, d.Inputs)
	}
	var exprs []string
	for _, p := range d.Panels {
		if p.Datasource != nil && p.Datasource.UID != "${DS_PROMETHEUS}" {
			t.Errorf("panel %q: data source %q, want ${DS_PROMETHEUS}", p.Title, p.Datasource.UID)
		}
		for _, tg := range p.Targets {
			if tg.Datasource.UID != "${DS_PROMETHEUS}" || tg.Expr == "" {
				t.Errorf("panel %q: a query %q on data source %q", p.Title, tg.Expr, tg.Datasource.UID)
			}
			exprs = append(exprs, tg.Expr)
		}
	}
	if len(exprs) < 10 {
		t.Errorf("%s: %d queries", dashboardFile, len(exprs))
	}
	return exprs
}

func TestEveryAlertSaysWhatToDo(t *testing.T) {
	rules := alertRules(t)
	for _, r := range rules {
		if r.expr == "" || r.severity == "" || r.summary == "" {
			t.Errorf("alert %s: expr %q, severity %q, summary %q", r.name, r.expr, r.severity, r.summary)
		}
		if !strings.Contains(r.description, "`rectibot ") {
			t.Errorf("alert %s: the description names no rectibot command to run: %q", r.name, r.description)
		}
	}
	var names []string
	for _, r := range rules {
		names = append(names, r.name)
	}
	for _, want := range []string{"RectibotDown", "RectibotNotReady", "RectibotFailedUpdates", "RectibotTelegram429Sustained",
		"RectibotDeadJobs", "RectibotUnreachablePeopleRising", "RectibotRemindersBehindSchedule"} {
		if !slices.Contains(names, want) {
			t.Errorf("no alert %s among %v", want, names)
		}
	}
	// promtool, where installed (Debian's prometheus package), checks the
	// rules as Prometheus loads them.
	if promtool, err := exec.LookPath("promtool"); err == nil {
		if out, err := exec.Command(promtool, "check", "rules", alertsFile).CombinedOutput(); err != nil {
			t.Errorf("promtool check rules: %v\n%s", err, out)
		}
	}
}

type alertRule struct{ name, expr, severity, summary, description string }

// alertRules reads the rules file's alerts with a reader of the YAML it is
// written in (keys, "- " items, quoted strings, | and > blocks): go.mod has
// no YAML library, and this one file does not warrant one.
func alertRules(t *testing.T) []alertRule {
	t.Helper()
	raw, err := os.ReadFile(alertsFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	if !slices.Contains(lines, "groups:") {
		t.Fatalf("%s: no top-level groups:", alertsFile)
	}
	var rules []alertRule
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.Contains(line, "\t") {
			t.Fatalf("%s:%d: a tab", alertsFile, i+1)
		}
		text := strings.TrimLeft(line, " ")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		indent := len(line) - len(text)
		item := strings.HasPrefix(text, "- ")
		if item {
			text, indent = text[2:], indent+2
		}
		key, value, ok := strings.Cut(text, ":")
		if !ok {
			t.Fatalf("%s:%d: not a key: %q", alertsFile, i+1, line)
		}
		value = strings.TrimSpace(value)
		if block := strings.TrimRight(value, "-+"); block == "|" || block == ">" {
			var parts []string
			for i+1 < len(lines) {
				next := lines[i+1]
				if strings.TrimSpace(next) != "" && len(next)-len(strings.TrimLeft(next, " ")) <= indent {
					break
				}
				parts = append(parts, strings.TrimSpace(next))
				i++
			}
			sep := "\n"
			if block == ">" {
				sep = " "
			}
			value = strings.TrimSpace(strings.Join(parts, sep))
		} else if unq, err := unquoteYAML(value); err == nil {
			value = unq
		}
		if item && key == "alert" {
			rules = append(rules, alertRule{name: value})
			continue
		}
		if len(rules) == 0 {
			continue
		}
		r := &rules[len(rules)-1]
		switch key {
		case "expr":
			r.expr = value
		case "severity":
			r.severity = value
		case "summary":
			r.summary = value
		case "description":
			r.description = value
		}
	}
	if n := strings.Count(string(raw), "- alert:"); n != len(rules) || n == 0 {
		t.Fatalf("%s: read %d alerts of %d", alertsFile, len(rules), n)
	}
	return rules
}

func unquoteYAML(s string) (string, error) {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		var out string
		err := json.Unmarshal([]byte(s), &out)
		return out, err
	}
	return s, nil
}
