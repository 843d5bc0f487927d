package models

import (
	"context"

	"github.com/rectibot/rectibot/ledger"
)

// DecidableClosures are the tasks waiting for the actor's sign-off that
// the actor may sign off now (ledger.Authorize, ActVerify): /verify's
// closures and the Mini App's list of what awaits a decision.
func (s *Store) DecidableClosures(ctx context.Context, a ledger.Actor) ([]TaskItem, error) {
	items, err := s.PendingVerificationFor(ctx, a)
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, it := range items {
		scope := it.Scope()
		if ledger.Authorize(a, ledger.ActVerify, &scope) == nil {
			out = append(out, it)
		}
	}
	return out, nil
}

// DecidableDeadlines are the open requests for a new deadline the actor
// may decide: in reach, allowed by ledger.Authorize (ActDecideDeadline),
// and not the actor's own request.
func (s *Store) DecidableDeadlines(ctx context.Context, a ledger.Actor) ([]DeadlineRequest, error) {
	reqs, err := s.PendingDeadlinesFor(ctx, a)
	if err != nil {
		return nil, err
	}
	out := reqs[:0]
	for _, rq := range reqs {
		scope := rq.Task.Scope()
		if ledger.Authorize(a, ledger.ActDecideDeadline, &scope) == nil && !rq.AskedBy(a) {
			out = append(out, rq)
		}
	}
	return out, nil
}

// AskedBy reports whether the actor asked for this deadline (nobody
// decides their own request).
func (r DeadlineRequest) AskedBy(a ledger.Actor) bool {
	return a.PersonID != 0 && r.RequestedByID != nil && *r.RequestedByID == a.PersonID
}
