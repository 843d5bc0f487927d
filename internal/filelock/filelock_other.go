//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package filelock

import "github.com/gofrs/flock"

// tryAcquire falls back to gofrs/flock where flock(2) is not there: the
// file stays behind, which is harmless (the lock is on the open file, not
// on its existence).
func tryAcquire(path string) (release func() error, held bool, err error) {
	fl := flock.New(path)
	ok, err := fl.TryLock()
	if err != nil || !ok {
		return nil, false, err
	}
	return fl.Unlock, true, nil
}
