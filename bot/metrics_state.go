package bot

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// State is what the operator's alerts watch that lives in the database,
// not in a process: counters kept by each replica would differ between
// replicas and start from zero at every restart, so these are read at
// each scrape.
type State struct {
	FailedUpdates     int64 // failed for good, kept for `rectibot inbox`
	UnreachablePeople int64 // linked people who blocked the bot
	Jobs              []JobState
}

// JobState is one queue and kind's jobs that need the operator.
type JobState struct {
	Queue, Kind string
	Discarded   int64 // dead letters, for `rectibot jobs`
	Late        int64 // due minutes ago and not worked
}

// StateSource reads State (app wires the ledger's and the job queue's
// queries); it must honour ctx's deadline.
type StateSource func(context.Context) (State, error)

// stateTimeout bounds a scrape's database work: a slow database shows as
// rectibot_state_query_success 0 rather than as a scrape that times out
// with every other series.
const stateTimeout = 2 * time.Second

// stateCollector reads State and runs the readiness checks at each scrape.
type stateCollector struct {
	source StateSource
	ready  map[string]func(context.Context) error
	log    *slog.Logger

	failedUpdates, unreachable, discarded, late, success, readyDesc *prometheus.Desc
}

func newStateCollector(source StateSource, ready map[string]func(context.Context) error, log *slog.Logger) *stateCollector {
	return &stateCollector{source: source, ready: ready, log: log,
		failedUpdates: prometheus.NewDesc("rectibot_inbox_failed_updates",
			"Telegram updates that failed for good and wait for the operator (rectibot inbox).", nil, nil),
		unreachable: prometheus.NewDesc("rectibot_people_unreachable",
			"Linked people who blocked the bot (Telegram answers 403), so reminders do not reach them.", nil, nil),
		discarded: prometheus.NewDesc("rectibot_jobs_discarded",
			"Jobs that failed for good and are kept as dead letters (rectibot jobs), by queue and kind.", []string{"queue", "kind"}, nil),
		late: prometheus.NewDesc("rectibot_jobs_behind_schedule",
			"Jobs due more than 5 minutes ago and not worked yet, by queue and kind.", []string{"queue", "kind"}, nil),
		success: prometheus.NewDesc("rectibot_state_query_success",
			"1 when the database answered this scrape's state queries in time, else 0 (the state series are then missing).", nil, nil),
		readyDesc: prometheus.NewDesc("rectibot_ready",
			"1 when the readiness check (database, redis) passes at this scrape, as /readyz says, else 0.", []string{"check"}, nil),
	}
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.failedUpdates, c.unreachable, c.discarded, c.late, c.success, c.readyDesc} {
		ch <- d
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	for _, name := range slices.Sorted(maps.Keys(c.ready)) {
		ctx, cancel := context.WithTimeout(context.Background(), stateTimeout)
		up := 1.0
		if err := c.ready[name](ctx); err != nil {
			up = 0
		}
		cancel()
		ch <- prometheus.MustNewConstMetric(c.readyDesc, prometheus.GaugeValue, up, name)
	}
	if c.source == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), stateTimeout)
	defer cancel()
	s, err := c.source(ctx)
	if err != nil {
		c.log.WarnContext(ctx, "metrics: state not read", slog.Any("err", err))
		ch <- prometheus.MustNewConstMetric(c.success, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.success, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.failedUpdates, prometheus.GaugeValue, float64(s.FailedUpdates))
	ch <- prometheus.MustNewConstMetric(c.unreachable, prometheus.GaugeValue, float64(s.UnreachablePeople))
	// Only the queues and kinds with something to show: a dashboard sums
	// them with `or vector(0)`.
	for _, j := range s.Jobs {
		if j.Discarded > 0 {
			ch <- prometheus.MustNewConstMetric(c.discarded, prometheus.GaugeValue, float64(j.Discarded), j.Queue, j.Kind)
		}
		if j.Late > 0 {
			ch <- prometheus.MustNewConstMetric(c.late, prometheus.GaugeValue, float64(j.Late), j.Queue, j.Kind)
		}
	}
}
