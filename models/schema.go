package models

import "time"

// The models mirror migrations/*/00001_init.sql; TestSchemaMatchesModels
// keeps the two in step. Associations are not declared: queries join
// explicitly, so what a query loads is visible where it is written.

// Unit is an inspected unit (被巡察单位/党组织): it owns its plans,
// departments and people, whose names are unique within it.
type Unit struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"not null;uniqueIndex"` // 中共东莞市委政法委员会
	ShortName string `gorm:"not null"`             // 市委政法委
	SelfName  string `gorm:"not null"`             // 我委: how it calls itself in its documents
	CreatedAt time.Time
}

// Plan is one inspection round of one inspected unit (整改方案).
type Plan struct {
	ID           uint   `gorm:"primaryKey"`
	Title        string `gorm:"not null;uniqueIndex"`
	Team         string `gorm:"not null"` // 巡察组
	Unit         string `gorm:"not null"` // 被巡察单位, as the plan names it
	UnitID       uint   `gorm:"not null;index"`
	FeedbackDate Date
	TimeZone     string `gorm:"not null"`
	Year         int    `gorm:"not null"` // for deadlines written without a year
	CreatedAt    time.Time
	// What the 通报 says beyond the ledger (migration 00012): the 巡察时间,
	// the contact of its closing 监督 paragraph, and the office's own
	// 组织领导 and 督促检查 paragraphs ("": the report's default sentences).
	InspectedFrom Date
	InspectedTo   Date
	Contact       string `gorm:"not null"` // 联系电话：…；电子邮箱：…
	Organisation  string `gorm:"not null"`
	Supervision   string `gorm:"not null"`
	// Principal is the 第一责任人 who signs the 整改报告 (migration 00013);
	// "": none set, the report leaves the name blank.
	Principal string `gorm:"not null"`
}

// Category is a 问题类别 heading of a plan, in document order.
type Category struct {
	ID     uint   `gorm:"primaryKey"`
	PlanID uint   `gorm:"not null;index"`
	Seq    int    `gorm:"not null"`
	Name   string `gorm:"not null"`
}

// Problem is a numbered problem (1, 6, 立行立改四) of a category.
type Problem struct {
	ID         uint   `gorm:"primaryKey"`
	PlanID     uint   `gorm:"not null;uniqueIndex:problems_plan_number"`
	CategoryID uint   `gorm:"not null;index"`
	Seq        int    `gorm:"not null"`
	Number     string `gorm:"not null;uniqueIndex:problems_plan_number"`
	Title      string `gorm:"not null"`
}

// Task is the unit that is tracked: a sub-problem 6(2), or a problem that has
// none. Overdue is never stored: it is derived from Deadline and the day.
// ClosedAt is nil for a closure imported from a ledger (its day is unknown);
// StageDoneAt is when a long-term task's stage goals were met (阶段性完成),
// which leaves it ongoing.
type Task struct {
	ID               uint   `gorm:"primaryKey"`
	PlanID           uint   `gorm:"not null;uniqueIndex:tasks_plan_code"`
	ProblemID        uint   `gorm:"not null;index"`
	Seq              int    `gorm:"not null"` // 序号
	Code             string `gorm:"not null;uniqueIndex:tasks_plan_code"`
	Title            string `gorm:"not null"` // the sub-problem, or the problem's title
	Detail           string `gorm:"not null"` // 具体问题
	DepartmentID     uint   `gorm:"not null;index"`
	LeaderID         uint   `gorm:"not null;index"`
	OfficerID        uint   `gorm:"not null;index"`
	Status           string `gorm:"not null;index"`
	Deadline         Date   `gorm:"index"`
	OriginalDeadline Date
	LongTerm         bool   `gorm:"not null"`
	Recurrence       string `gorm:"not null"`
	ClosedAt         *time.Time
	StageDoneAt      *time.Time
	LastReportAt     *time.Time // the latest progress entry's time, the imported one aside
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Measure is one ordered, tickable item of a task's 整改措施.
type Measure struct {
	ID     uint   `gorm:"primaryKey"`
	TaskID uint   `gorm:"not null;index"`
	Seq    int    `gorm:"not null"`
	Text   string `gorm:"not null"`
	Done   bool   `gorm:"not null"`
	DoneAt *time.Time
}

// Department is a 责任科室 of a unit.
type Department struct {
	ID     uint   `gorm:"primaryKey"`
	Name   string `gorm:"not null;uniqueIndex:departments_unit_name,priority:2"`
	UnitID uint   `gorm:"not null;uniqueIndex:departments_unit_name,priority:1"`
}

// Person is a leader, officer, admin or viewer. A Telegram account is linked
// only by redeeming an invite.
type Person struct {
	ID             uint   `gorm:"primaryKey"`
	Name           string `gorm:"not null;uniqueIndex:people_unit_name,priority:2"`
	UnitID         *uint  `gorm:"uniqueIndex:people_unit_name,priority:1"` // nil: above the units (a supervisor, the office)
	DepartmentID   *uint  `gorm:"index"`                                   // an officer's department
	TelegramUserID *int64 `gorm:"uniqueIndex"`
	Lang           string `gorm:"not null"` // "" = from Telegram's language_code
	SeesAll        bool   `gorm:"not null"` // a leader of every department
	LinkedAt       *time.Time
	UnreachableAt  *time.Time // the bot got 403 (blocked) when writing to them
	MenuKey        string     `gorm:"not null"` // digest of the command menu last set in their chat
	CreatedAt      time.Time
}

// TableName keeps the plural readable.
func (Person) TableName() string { return "people" }

// PersonRole grants a role to a person.
type PersonRole struct {
	PersonID uint   `gorm:"primaryKey;autoIncrement:false"`
	Role     string `gorm:"primaryKey"`
}

// DepartmentLeader says a person leads a department (责任领导).
type DepartmentLeader struct {
	DepartmentID uint `gorm:"primaryKey;autoIncrement:false"`
	PersonID     uint `gorm:"primaryKey;autoIncrement:false;index"`
}

// ProgressEntry is one 整改情况 report on a task.
type ProgressEntry struct {
	ID        uint   `gorm:"primaryKey"`
	TaskID    uint   `gorm:"not null;index"`
	AuthorID  *uint  // nil for imported entries
	Text      string `gorm:"not null"`
	Source    string `gorm:"not null"` // command, reply, import
	CreatedAt time.Time
}

// Attachment is evidence on a progress entry: a Telegram photo or document.
type Attachment struct {
	ID              uint   `gorm:"primaryKey"`
	ProgressEntryID uint   `gorm:"not null;index"`
	Kind            string `gorm:"not null"` // photo, document
	FileID          string `gorm:"not null"`
	FileUniqueID    string `gorm:"not null"`
	FileName        string `gorm:"not null"`
	MIMEType        string `gorm:"column:mime_type;not null"`
	Size            int64  `gorm:"not null"`
}

// DeadlineChange is a new deadline asked for, and why: a request (pending)
// until the task's leader or the office decides it. Only an approved one
// moves the task's deadline; the task keeps its original deadline too.
type DeadlineChange struct {
	ID             uint `gorm:"primaryKey"`
	TaskID         uint `gorm:"not null;index"`
	OldDeadline    Date
	NewDeadline    Date   `gorm:"not null"`
	Reason         string `gorm:"not null"`
	ChangedByID    *uint  // who asked
	CreatedAt      time.Time
	State          string `gorm:"not null"` // see DeadlineState
	DecidedByID    *uint
	DecidedAt      *time.Time
	DecisionReason string `gorm:"not null"`
}

// AuditEvent is an append-only record of a change: who, when, what, before,
// after (JSON).
type AuditEvent struct {
	ID        uint      `gorm:"primaryKey"`
	CreatedAt time.Time `gorm:"index"`
	ActorID   *uint     // the person, when the actor is one
	Actor     string    `gorm:"not null"` // "cli", "telegram:123", "scheduler"
	Action    string    `gorm:"not null"`
	PlanID    *uint     `gorm:"index"`
	TaskID    *uint     `gorm:"index"`
	Subject   string    `gorm:"not null"` // "task:12", "person:3"
	Before    string    `gorm:"not null"`
	After     string    `gorm:"not null"`
}

// Invite is a single-use, expiring code that links a Telegram account to a
// person with a role. Only the code's hash is stored.
type Invite struct {
	ID               uint   `gorm:"primaryKey"`
	CodeHash         string `gorm:"not null;uniqueIndex"`
	PersonID         uint   `gorm:"not null;index"`
	Role             string `gorm:"not null"`
	ExpiresAt        time.Time
	UsedAt           *time.Time
	UsedByTelegramID *int64
	CreatedBy        string `gorm:"not null"`
	CreatedAt        time.Time
}

// Group is a Telegram group registered for notifications.
type Group struct {
	ID             uint   `gorm:"primaryKey"`
	ChatID         int64  `gorm:"not null;uniqueIndex"`
	Title          string `gorm:"not null"`
	Digests        bool   `gorm:"not null"`
	Closures       bool   `gorm:"not null"`
	Escalations    bool   `gorm:"not null"`
	UnitID         *uint  `gorm:"index"` // the unit it follows; nil: the supervisors' group
	RegisteredByID *uint
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SupervisorUnit limits a supervisor (巡察办/巡察组) to a unit; a
// supervisor with none reads every unit.
type SupervisorUnit struct {
	PersonID uint `gorm:"primaryKey;autoIncrement:false"`
	UnitID   uint `gorm:"primaryKey;autoIncrement:false"`
}

// GroupDepartment limits a group to some departments (none: all).
type GroupDepartment struct {
	GroupID      uint `gorm:"primaryKey;autoIncrement:false"`
	DepartmentID uint `gorm:"primaryKey;autoIncrement:false"`
}

// Delivery is a message the bot sent: where, what about, and the key that
// keeps the scheduler from sending it twice. A reply to a message is traced
// back to its tasks through ChatID and MessageID.
type Delivery struct {
	ID             uint   `gorm:"primaryKey"`
	IdempotencyKey string `gorm:"not null;uniqueIndex"`
	ChatID         int64  `gorm:"not null;index:deliveries_chat_message"`
	MessageID      int64  `gorm:"not null;index:deliveries_chat_message"`
	PersonID       *uint  `gorm:"index"`
	Kind           string `gorm:"not null"` // task_card, reminder, escalation, digest, …
	SentAt         time.Time
}

// DeliveryTask links a delivered message to the tasks it is about, in the
// order listed.
type DeliveryTask struct {
	DeliveryID uint `gorm:"primaryKey;autoIncrement:false"`
	TaskID     uint `gorm:"primaryKey;autoIncrement:false;index"`
	Seq        int  `gorm:"not null"`
}

// All lists every model, in dependency order (for schema checks and tests).
func All() []any {
	return []any{
		&Unit{}, &Plan{}, &Category{}, &Problem{}, &Department{}, &Person{}, &PersonRole{},
		&DepartmentLeader{}, &Task{}, &Measure{}, &ProgressEntry{}, &Attachment{},
		&DeadlineChange{}, &AuditEvent{}, &Invite{}, &Group{}, &GroupDepartment{},
		&Delivery{}, &DeliveryTask{}, &Notification{}, &InboxUpdate{}, &InboxChat{},
		&PeriodicRun{}, &SupervisorUnit{}, &Result{},
	}
}

// Notification records that a due item (identified by the scheduler's key:
// task, kind, day) was told to someone, in the message with DeliveryKey.
type Notification struct {
	ID          uint   `gorm:"primaryKey"`
	DueKey      string `gorm:"not null;uniqueIndex"`
	TaskID      uint   `gorm:"not null;index"`
	PersonID    *uint
	Kind        string `gorm:"not null"`
	Day         Date   `gorm:"not null"`
	DeliveryKey string `gorm:"not null"`
	SentAt      time.Time
}
