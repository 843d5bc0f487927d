package sandbox

import "time"

// For the external tests: what the bot checks a Mini App's initData
// against, the emulator's token and the sandbox's time.

func (s *Sandbox) BotTokenForTest() (token string) {
	_ = s.with(func(w *world) error { token = w.fake.Token(); return nil })
	return token
}

func (s *Sandbox) NowForTest() (now time.Time) {
	_ = s.with(func(w *world) error { now = w.clock.Now(); return nil })
	return now
}
