package ledger

import "strings"

// ProblemNumber returns the number of the problem a task code belongs to:
// "6(2)" → "6"; a code without a sub-problem suffix ("10", "立行立改四") is
// its own problem.
func ProblemNumber(code string) string {
	if strings.HasSuffix(code, ")") {
		if i := strings.LastIndex(code, "("); i > 0 {
			return code[:i]
		}
	}
	return code
}

// IsSubProblem reports whether code names a sub-problem such as 6(2).
func IsSubProblem(code string) bool { return ProblemNumber(code) != code }

// TaskTitle is how a task is named in lists: the sub-problem text for a
// sub-problem, the problem's title otherwise (立行立改四's 具体问题 is a
// paragraph of facts, not a title).
func TaskTitle(code, problemTitle, detail string) string {
	if IsSubProblem(code) && strings.TrimSpace(detail) != "" {
		return headline(detail)
	}
	return problemTitle
}

// headline turns a verbatim sub-problem sentence into a title: the report
// writes “执行‘三重一大’制度有偏差”。 and a list shows 执行‘三重一大’制度有偏差.
func headline(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, "。.;；,，")
	if strings.HasPrefix(s, "“") && strings.HasSuffix(s, "”") && strings.Count(s, "“") == 1 {
		s = strings.TrimSuffix(strings.TrimPrefix(s, "“"), "”")
	}
	return strings.TrimSpace(s)
}
