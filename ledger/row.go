package ledger

// Deadline is a task's 整改时限: a day, or long-term (长期坚持) with a
// recurrence for its check-ins. The zero Deadline means "none given".
type Deadline struct {
	Date       Date
	LongTerm   bool
	Recurrence Recurrence // meaningful only when LongTerm
}

// Row is one row of the 台账, as imported and exported. The columns are
// 序号,问题类别,问题编号,问题,具体问题,整改措施,责任领导,责任科室,责任人,整改时限[,整改状态,整改情况].
type Row struct {
	SourceRow    int      // the file's row number (header = row 1); 0 when not read from a file
	Seq          int      // 序号
	Category     string   // 问题类别
	ProblemCode  string   // 问题编号 as written, normalised: "6(2)", "10", "立行立改四"
	ProblemTitle string   // 问题
	Detail       string   // 具体问题 (may be empty)
	Measures     []string // 整改措施, one item per 一是/二是… (or a lead-in line)
	Leader       string   // 责任领导
	Department   string   // 责任科室
	Officer      string   // 责任人
	Deadline     Deadline // 整改时限
	Status       Status   // 整改状态; empty when the file has no status column
	StageDone    bool     // 整改状态 says 阶段性完成: a long-term item done at its stage (Status ongoing)
	Progress     string   // 整改情况 (may be empty)
}
