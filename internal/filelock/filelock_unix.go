//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package filelock

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// tryAcquire makes one attempt: held is false when another process holds
// the lock (or held it and removed the file meanwhile: the caller retries).
func tryAcquire(path string) (release func() error, held bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("flock: %w", err)
	}
	// The previous holder may have removed (and someone recreated) the
	// file between our open and our lock: then we hold a lock on a file
	// nobody else will ever look at.
	same, err := sameFile(f, path)
	if err != nil || !same {
		_ = f.Close() // closing lets go of the lock
		return nil, false, err
	}
	release = func() error {
		// Remove first, while the lock is still ours: a waiter on this
		// file wins it next, sees the path gone or new, and starts over.
		rmErr := os.Remove(path)
		if errors.Is(rmErr, os.ErrNotExist) {
			rmErr = nil
		}
		return errors.Join(rmErr, f.Close())
	}
	return release, true, nil
}

func sameFile(f *os.File, path string) (bool, error) {
	held, err := f.Stat()
	if err != nil {
		return false, err
	}
	now, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(held, now), nil
}
