// Package filelock serialises processes on a lock file that does not
// outlive the lock: SQLite installations migrate under it, and an operator
// should not find a stray "*.migrate.lock" beside the database afterwards.
//
// gofrs/flock (used before) leaves the file, and removing it after Unlock
// races: a second process may have opened the old file and be waiting on
// it while a third creates a new one, and both would hold "the" lock. The
// race-free pattern, written here because no maintained library offers it:
// the holder removes the file while still holding the lock, and whoever
// wins the lock checks that the path still names the file it locked (same
// device and inode), else starts over on the new file.
package filelock

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrTimeout is Acquire's error when ctx ended before the lock was won.
var ErrTimeout = errors.New("lock is held by another process")

// Acquire takes the exclusive lock at path, polling every poll until ctx
// ends. The returned release removes the file and lets go of the lock.
func Acquire(ctx context.Context, path string, poll time.Duration) (release func() error, err error) {
	for {
		release, held, err := tryAcquire(path)
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if !held {
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("lock %s: %w (%w)", path, ErrTimeout, ctx.Err())
			case <-time.After(poll):
			}
			continue
		}
		return release, nil
	}
}
