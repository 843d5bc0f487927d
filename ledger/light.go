package ledger

// Light is the traffic light (红黄绿灯) of a task.
type Light string

const (
	LightGreen  Light = "green"
	LightYellow Light = "yellow"
	LightRed    Light = "red"
)

// Lights lists the lights worst first, the order lists are sorted in.
var Lights = []Light{LightRed, LightYellow, LightGreen}

// LightThresholds are the configurable limits of the traffic light.
type LightThresholds struct {
	// YellowWithinDays: a task due within this many days is yellow (default 7).
	YellowWithinDays int
}

// DefaultLightThresholds is SPEC §2: yellow within 7 days.
var DefaultLightThresholds = LightThresholds{YellowWithinDays: 7}

// IsOverdue reports whether a task with this status and deadline is late on
// day today: the deadline has passed and the task is not closed. A task
// without a dated deadline (long-term) is never overdue. Overdue is always
// derived, never stored.
func IsOverdue(status Status, deadline Date, today Date) bool {
	return status != StatusClosed && !deadline.IsZero() && today.After(deadline)
}

// LightOf returns the light of a task on day today: red when overdue, yellow
// when due within the threshold, green when closed or further away.
func LightOf(status Status, deadline Date, today Date, th LightThresholds) Light {
	switch {
	case status == StatusClosed || deadline.IsZero():
		return LightGreen
	case today.After(deadline):
		return LightRed
	case !deadline.After(today.AddDays(th.YellowWithinDays)):
		return LightYellow
	default:
		return LightGreen
	}
}
