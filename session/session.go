// Package session keeps the state of multi-step dialogues (/report, the
// /verify rejection reason, /invite, /group …) per chat and user.
//
// Two stores implement one interface: Redis, because several replicas may
// receive one user's messages (an album arrives as several updates at once),
// and Memory, for a single instance without REDIS_URL. Both hand out copies
// of the state (it is stored as JSON), expire it TTL after the last write,
// and remember for a day longer that a dialogue existed, so the bot can say
// "your report expired, start again with /report" instead of ignoring the
// message.
package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// DefaultTTL is how long a dialogue survives without a write.
const DefaultTTL = 30 * time.Minute

// tombstoneGrace is how long after a state expires the store still knows a
// dialogue existed. A user who comes back the next morning still hears that
// the dialogue expired rather than meeting silence.
const tombstoneGrace = 24 * time.Hour

// maxAttempts bounds how often Update re-runs fn after a conflicting write.
// Contention is one user's concurrent updates (an album is at most 10), so
// this is generous; it exists so a bug cannot spin forever.
const maxAttempts = 50

var (
	// ErrDelete, returned by an Update fn, deletes the state (the dialogue
	// is finished) and its tombstone.
	ErrDelete = errors.New("session: delete state")

	// ErrUnavailable wraps the cause when the store cannot serve a request
	// (Redis unreachable, timed out, refused the command). Callers tell the
	// user to try again later and log the cause; they never show it.
	ErrUnavailable = errors.New("session: store unavailable")

	// ErrConflict means Update lost the race against other writers
	// maxAttempts times. Update returns it wrapped together with
	// ErrUnavailable, so callers checking ErrUnavailable tell the user to
	// try again without knowing about it.
	ErrConflict = errors.New("session: too many conflicting updates")
)

// Attachment kinds.
const (
	AttachmentPhoto    = "photo"
	AttachmentDocument = "document"
)

// Attachment is one piece of evidence a dialogue has collected.
type Attachment struct {
	Kind         string `json:"kind"` // AttachmentPhoto or AttachmentDocument
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id,omitempty"`
	FileName     string `json:"file_name,omitempty"`
	MIMEType     string `json:"mime_type,omitempty"`
	Size         int64  `json:"size,omitempty"`
}

// State is one user's dialogue in one chat, stored as JSON.
type State struct {
	Dialogue     string            `json:"dialogue,omitempty"` // "report", "verify_reject", "invite", "group", "reply_confirm" …; "" = none
	Step         string            `json:"step,omitempty"`
	TaskID       uint              `json:"task_id,omitempty"`
	Data         map[string]string `json:"data,omitempty"` // never nil in a state handed out by a Store
	Attachments  []Attachment      `json:"attachments,omitempty"`
	MediaGroupID string            `json:"media_group_id,omitempty"` // an album counts as one report
	UpdatedAt    time.Time         `json:"updated_at"`               // set by the store on every write
}

// Store keeps dialogue states.
type Store interface {
	// Get returns the live state; ok=false when there is none (never
	// started, finished, or expired).
	Get(ctx context.Context, chatID, userID int64) (st State, ok bool, err error)

	// Update reads the state, calls fn and writes the result atomically. fn
	// may be called again when another replica wrote meanwhile, so it must
	// only edit st. fn returning ErrDelete deletes the state; any other
	// error is returned as is and nothing is written. Every write renews
	// the TTL. Update returns what was written (the zero State after a
	// delete).
	Update(ctx context.Context, chatID, userID int64, fn func(st *State, exists bool) error) (State, error)

	// Delete removes the state and its tombstone (the user finished or sent
	// /cancel). Deleting nothing is not an error.
	Delete(ctx context.Context, chatID, userID int64) error

	// Expired reports whether a dialogue existed and expired: there is no
	// live state, but one was written within the last TTL+24h and not
	// deleted.
	Expired(ctx context.Context, chatID, userID int64) (bool, error)

	// Ping checks that the store can serve requests (readiness).
	Ping(ctx context.Context) error
}

// decode turns stored JSON into a State with a non-nil Data map, so handlers
// can write st.Data[k] without checking.
func decode(raw []byte) (State, error) {
	var st State
	if err := json.Unmarshal(raw, &st); err != nil {
		return State{}, fmt.Errorf("session: decode state: %w", err)
	}
	normalize(&st)
	return st, nil
}

func normalize(st *State) {
	if st.Data == nil {
		st.Data = map[string]string{}
	}
}

// fresh is what fn sees when there is no state.
func fresh() State {
	st := State{}
	normalize(&st)
	return st
}

// update is the optimistic loop both stores share: attempt reads, calls fn
// and writes if nothing changed meanwhile, reporting conflict otherwise.
// Between attempts it backs off a little, with jitter, so concurrent writers
// of one key (the photos of one album) stop colliding in lockstep.
func update(ctx context.Context, attempt func() (st State, conflict bool, err error)) (State, error) {
	for i := 1; i <= maxAttempts; i++ {
		st, conflict, err := attempt()
		if err != nil || !conflict {
			return st, err
		}
		backoff := min(time.Duration(i)*time.Millisecond, 20*time.Millisecond)
		t := time.NewTimer(rand.N(backoff) + time.Microsecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return State{}, fmt.Errorf("session: update: %w", ctx.Err())
		case <-t.C:
		}
	}
	return State{}, fmt.Errorf("%w: %w", ErrUnavailable, ErrConflict)
}
