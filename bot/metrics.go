package bot

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the bot's Prometheus series. Each Bot has its own registry so
// tests can build many without clashing.
type Metrics struct {
	Registry *prometheus.Registry
	updates  *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	sends    *prometheus.CounterVec
	limited  prometheus.Counter
	inbox    *prometheus.CounterVec
}

// NewMetrics registers the series.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rectibot_updates_total", Help: "Telegram updates handled, by type and outcome (ok, error, panic).",
		}, []string{"type", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "rectibot_handler_seconds", Help: "Time to handle one update.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"type"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rectibot_telegram_calls_total", Help: "Bot API calls by method and result (ok, rate_limited, forbidden, bad_request, error).",
		}, []string{"method", "result"}),
		limited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rectibot_telegram_429_total", Help: "Too Many Requests answers from Telegram.",
		}),
		inbox: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rectibot_inbox_updates_total",
			Help: "Inbox events by update kind and outcome (handled, dropped, failed, retry, duplicate, not_stored).",
		}, []string{"kind", "outcome"}),
	}
	m.Registry.MustRegister(m.updates, m.latency, m.sends, m.limited, m.inbox,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
