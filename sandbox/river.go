package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// The sandbox runs serve's path, and only waits for it: an update the
// emulator queued is fetched by the bot's own long polling and handled
// from the inbox, and River reads the time from the sandbox's clock
// (scheduler.WithTime), so moving the clock is what makes jobs due and
// River's own fetch takes them. The page expects the outcome when its call
// returns, so the calls below wait, in real time and bounded, until the
// inbox has answered and River has worked what is due.
const (
	// inboxPoll, riverPoll and riverCooldown: how often the inbox and River
	// look for work (serve's are 1 s), so an answer or a clock move shows
	// within a fraction of a second.
	inboxPoll     = 20 * time.Millisecond
	riverPoll     = 50 * time.Millisecond
	riverCooldown = 20 * time.Millisecond
	// waitStep is how often a wait looks again; waitLimit bounds it.
	waitStep  = 5 * time.Millisecond
	waitLimit = 10 * time.Second
)

// pendingStates are the job states River still has to work once a job's
// scheduled_at has come. Scheduled and retryable jobs (a snooze or a retry
// of more than 5 s) are made available by the elected leader's scheduler,
// every 5 s of real time: when one is due, a clock move takes that long.
var pendingStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}

// await waits until the inbox has handled update id, then for the jobs
// its handling made due.
func (w *world) await(ctx context.Context, id int64) error {
	err := w.wait(ctx, "the bot's answer", func() (bool, error) {
		outcome, done, err := w.store.UpdateOutcome(ctx, id)
		if err == nil && done && outcome == models.OutcomeFailed {
			err = fmt.Errorf("the bot failed on update %d (see its log)", id)
		}
		return done, err
	})
	if err != nil {
		return fmt.Errorf("update %d: %w", id, err)
	}
	return w.settle(ctx)
}

// arrive is the clock having moved: a half-monthly digest that fell due
// meanwhile is handed to River, then River works everything due. River's
// periodic job waits on a real timer, set for the next fire as River's
// clock read when it was set, so it never fires when the sandbox's clock
// jumps; the scheduler's catch-up of a run no process was up for enqueues
// the latest fire's run, once, as at a restart.
func (w *world) arrive(ctx context.Context) error {
	if _, err := w.bot.Scheduler.DigestCatchUp(ctx, w.clock.Now()); err != nil {
		return err
	}
	return w.settle(ctx)
}

// quietLeaderLapse is an Option: River's log, less what a move of the
// sandbox's clock makes it say. River keeps time by that clock here, so
// every move of more than the lease's 15 s makes the leader step down
// (and be elected again at once, the only candidate), and a move of more
// than a day makes its queue cleaner delete the queues' rows as unused, so
// each queue's producer finds its row gone at its next poll (its next
// report writes the row again). On a page that moves days, neither is news
// for the visitor's terminal.
func quietLeaderLapse(c *river.Config) {
	c.Logger = slog.New(lapseFilter{c.Logger.Handler()})
}

type lapseFilter struct{ slog.Handler }

func (f lapseFilter) Handle(ctx context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "reelection deadline elapsed") {
		return nil
	}
	if strings.Contains(r.Message, "Error fetching queue settings") || strings.Contains(r.Message, "Queue row not found") {
		gone := strings.Contains(r.Message, "Queue row not found")
		r.Attrs(func(a slog.Attr) bool {
			gone = gone || (a.Key == "err" && a.Value.String() == "not found")
			return !gone
		})
		if gone {
			return nil
		}
	}
	return f.Handler.Handle(ctx, r)
}

func (f lapseFilter) WithAttrs(as []slog.Attr) slog.Handler {
	return lapseFilter{f.Handler.WithAttrs(as)}
}
func (f lapseFilter) WithGroup(g string) slog.Handler { return lapseFilter{f.Handler.WithGroup(g)} }

// workEnds records the jobs River has worked, by id and attempt, as its
// WorkEnd hook sees them. A job's state in river_job says "running" until
// River's batch completer writes the outcome, up to 250 ms later; waiting
// for that at each step of settle made the first morning take most of a
// second. (A job's next attempt has the next number.)
type workEnds struct {
	river.HookDefaults
	mu    sync.Mutex
	ended map[int64]int // job id → attempt
}

func newWorkEnds() *workEnds { return &workEnds{ended: map[int64]int{}} }

// WorkEnd implements rivertype.HookWorkEnd; the work's error passes.
func (h *workEnds) WorkEnd(_ context.Context, job *rivertype.JobRow, err error) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ended[job.ID] = job.Attempt
	return err
}

// option installs the hook in River's configuration.
func (h *workEnds) option() scheduler.Option {
	return func(c *river.Config) { c.Hooks = append(c.Hooks, h) }
}

// worked reports whether River has done its part of job: finished, or
// worked and waiting for its outcome to be written.
func (h *workEnds) worked(job pendingJob) bool {
	if job.State != rivertype.JobStateRunning {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ended[job.ID] == job.Attempt
}

// forget drops what is known of jobs River no longer lists as pending.
func (h *workEnds) forget(pending []pendingJob) {
	ids := make(map[int64]bool, len(pending))
	for _, j := range pending {
		ids[j.ID] = true
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	maps.DeleteFunc(h.ended, func(id int64, _ int) bool { return !ids[id] })
}

// pendingJob is what settle reads of a job River has yet to finish.
type pendingJob struct {
	ID      int64
	Attempt int
	State   rivertype.JobState
	AtMS    int64 `gorm:"column:at_ms"` // scheduled_at, in ms since the epoch
}

// pendingJobs reads the jobs in pendingStates, four columns of each.
// River's JobList decodes whole rows, and polled every few milliseconds on
// SQLite's one connection it slowed River itself (a step of the first
// morning took 300 ms under the race detector). unixepoch reads
// riversqlite's timestamps as River's own queries do.
func (w *world) pendingJobs(ctx context.Context) ([]pendingJob, error) {
	var jobs []pendingJob
	err := w.db.WithContext(ctx).Raw(`SELECT id, attempt, state,
  CAST(round(unixepoch(scheduled_at, 'subsec') * 1000) AS INTEGER) AS at_ms
FROM river_job WHERE state IN ?`, pendingStates).Scan(&jobs).Error
	if err != nil {
		return nil, fmt.Errorf("the job queue's pending jobs: %w", err)
	}
	return jobs, nil
}

// settle waits until River has worked every job due by the clock. Within
// the minute the clock is in, it then steps the clock to the next job due
// in that minute and waits again: a job that runs plans what follows a
// second later (a task's escalation after its overdue notice at the same
// opening of the day), which in serve goes out a second later and here
// would otherwise wait for the next move. The page shows the minute.
func (w *world) settle(ctx context.Context) error {
	end := w.clock.Now().Truncate(time.Minute).Add(time.Minute)
	return w.wait(ctx, "the jobs due", func() (bool, error) {
		now := w.clock.Now()
		jobs, err := w.pendingJobs(ctx)
		if err != nil {
			return false, err
		}
		var next time.Time
		for _, j := range jobs {
			switch at := time.UnixMilli(j.AtMS); {
			case w.works.worked(j):
			case !at.After(now):
				return false, nil // River has yet to work it
			case at.Before(end) && (next.IsZero() || at.Before(next)):
				next = at
			}
		}
		if next.IsZero() {
			w.works.forget(jobs)
			return true, nil
		}
		w.clock.Set(next)
		return false, nil
	})
}

// wait calls done every waitStep until it reports true, fails, the bot
// stops, or waitLimit passes; what names what it waits for.
func (w *world) wait(ctx context.Context, what string, done func() (bool, error)) error {
	limit := time.NewTimer(waitLimit)
	defer limit.Stop()
	step := time.NewTicker(waitStep)
	defer step.Stop()
	for {
		ok, err := done()
		if ok || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-w.served:
			return w.stopped()
		case <-limit.C:
			return fmt.Errorf("%s: not within %v", what, waitLimit)
		case <-step.C:
		}
	}
}

// stopped is the error of a bot whose Serve has returned (w.served closed).
func (w *world) stopped() error {
	if w.serveErr != nil {
		return fmt.Errorf("the bot stopped: %w", w.serveErr)
	}
	return errors.New("the bot stopped")
}
