package tgfake

import (
	"math/rand/v2"
	"time"
)

// FaultConfig makes a fraction of send calls (sendMessage, sendPhoto,
// sendDocument) fail without sending anything, so a sender's retries can be
// tested: a retry that later succeeds delivers the message exactly once.
type FaultConfig struct {
	Rate429    float64 // fraction answered 429 Too Many Requests
	Rate500    float64 // fraction answered 500 Internal Server Error
	RetryAfter int     // retry_after of injected 429s, seconds; default 1
	Seed       uint64  // the same seed gives the same sequence of faults
}

// SetFaults replaces the fault configuration; the zero value turns faults
// off. An injected 429 is binding like a real one: the chat refuses sends
// until retry_after has passed on the Server's clock.
func (s *Server) SetFaults(cfg FaultConfig) {
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = cfg
	s.rng = rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
}

// faultLocked draws whether this send fails, and records the cooldown an
// injected 429 imposes on the chat.
func (s *Server) faultLocked(chatID int64, now time.Time) *apiError {
	f := s.faults
	if f.Rate429 <= 0 && f.Rate500 <= 0 {
		return nil
	}
	x := s.rng.Float64()
	switch {
	case x < f.Rate429:
		s.rate.cooldown[chatID] = now.Add(time.Duration(f.RetryAfter) * time.Second)
		return tooMany(f.RetryAfter)
	case x < f.Rate429+f.Rate500:
		return errInternal
	}
	return nil
}
