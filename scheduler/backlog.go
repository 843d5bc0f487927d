package scheduler

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
)

// LateAfter is how long past its time a waiting job counts as behind
// schedule. River fetches due jobs every second and a send waits for the
// rate limiter, so a job a few seconds late is normal; five minutes late
// means no replica is working the queue (none running, the database slow)
// or a burst larger than 30 messages/s can clear in that time.
const LateAfter = 5 * time.Minute

// JobBacklog counts, for one queue and kind, the jobs an operator looks
// at: dead letters and jobs behind schedule.
type JobBacklog struct {
	Queue, Kind string
	Discarded   int64 // failed for good and kept (discardedRetention): `rectibot jobs` lists them
	Late        int64 // due before the cut-off and not worked yet
}

// JobsBacklog reads River's table directly, in one statement on the
// indexes River fetches by (state, queue, …, scheduled_at): its JobList
// decodes whole rows and pages through them, too much for every scrape of
// a queue holding a province's reminders. Jobs waiting that were due
// before lateBefore are behind schedule; retryable ones count too, as
// River makes a due retry available again only while a leader is elected.
// Safe outside a transaction only (see Queue).
func JobsBacklog(ctx context.Context, db *gorm.DB, dialect dburl.Dialect, lateBefore time.Time) ([]JobBacklog, error) {
	// riversqlite keeps times as text in this one format, which compares
	// in order only when written exactly so (its driver's timeString).
	var cut any = lateBefore.UTC()
	if dialect == dburl.SQLite {
		cut = lateBefore.UTC().Round(time.Millisecond).Format("2006-01-02 15:04:05.000")
	}
	// The states are literals: PostgreSQL's river_job.state is an enum,
	// which a text parameter does not compare with.
	var rows []struct {
		What, Queue, Kind string
		N                 int64
	}
	err := db.WithContext(ctx).Raw(`SELECT 'discarded' AS what, queue, kind, count(*) AS n FROM river_job
WHERE state = 'discarded' GROUP BY queue, kind
UNION ALL
SELECT 'late' AS what, queue, kind, count(*) AS n FROM river_job
WHERE state IN ('available', 'scheduled', 'retryable') AND scheduled_at < ? GROUP BY queue, kind`, cut).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("job queue: backlog: %w", err)
	}
	byKey := map[[2]string]*JobBacklog{}
	var out []*JobBacklog
	for _, r := range rows {
		key := [2]string{r.Queue, r.Kind}
		b := byKey[key]
		if b == nil {
			b = &JobBacklog{Queue: r.Queue, Kind: r.Kind}
			byKey[key] = b
			out = append(out, b)
		}
		if r.What == "discarded" {
			b.Discarded = r.N
		} else {
			b.Late = r.N
		}
	}
	slices.SortFunc(out, func(a, b *JobBacklog) int { return cmp.Or(cmp.Compare(a.Queue, b.Queue), cmp.Compare(a.Kind, b.Kind)) })
	res := make([]JobBacklog, len(out))
	for i, b := range out {
		res[i] = *b
	}
	return res, nil
}
