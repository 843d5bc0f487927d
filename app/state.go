package app

import (
	"context"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// stateSource reads what the operator's metrics show of the database: the
// ledger's failed updates and unreachable people, the job queue's dead and
// late jobs. Late is measured on the bot's clock, so the sandbox's moved
// clock is honoured.
func stateSource(store *models.Store, dialect dburl.Dialect, clk clock.Clock) bot.StateSource {
	return func(ctx context.Context) (bot.State, error) {
		counts, err := store.CountOps(ctx)
		if err != nil {
			return bot.State{}, err
		}
		jobs, err := scheduler.JobsBacklog(ctx, store.DB(), dialect, clk.Now().Add(-scheduler.LateAfter))
		if err != nil {
			return bot.State{}, err
		}
		s := bot.State{FailedUpdates: counts.FailedUpdates, UnreachablePeople: counts.UnreachablePeople,
			Jobs: make([]bot.JobState, len(jobs))}
		for i, j := range jobs {
			s.Jobs[i] = bot.JobState{Queue: j.Queue, Kind: j.Kind, Discarded: j.Discarded, Late: j.Late}
		}
		return s, nil
	}
}
