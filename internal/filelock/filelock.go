// Package filelock takes exclusive, cross-process locks on lock files: flock
// on Unix, LockFileEx on Windows, none elsewhere. The kernel releases a lock
// when its holder dies, so a killed process never leaves a lock that blocks
// the next one; the lock file itself stays in place on purpose (removing it
// would race with other lockers).
package filelock

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/safefile"
)

// Poll bounds: waiting polls with non-blocking attempts, doubling the
// interval from pollMin up to pollMax, so a wait honours its context.
const (
	pollMin = 5 * time.Millisecond
	pollMax = 100 * time.Millisecond
)

// Lock takes the exclusive lock on path (created 0600, with its directory
// 0700, if missing; never through a symbolic link, and only a regular file:
// see safefile.OpenNoFollow), waiting until ctx is done. waiting, if not nil,
// is called once when another process holds the lock. The returned function
// releases it.
func Lock(ctx context.Context, path string, waiting func()) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := safefile.OpenNoFollow(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening lock file: %w", err)
	}
	return hold(ctx, f, path, waiting)
}

// LockDir takes the exclusive lock of directory dir itself, leaving no file
// behind: for files that are replaced by a rename (a git config file), whose
// own inode cannot carry a lock, in directories such as HOME where a lock
// file would stay for good. Where a directory cannot be locked (Windows), it
// locks the file .git-codecommit.lock in dir instead.
func LockDir(ctx context.Context, dir string, waiting func()) (func(), error) {
	f, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return Lock(ctx, filepath.Join(dir, ".git-codecommit.lock"), waiting)
	}
	return hold(ctx, f, dir, waiting)
}

// hold waits for the lock on f, closing f on failure.
func hold(ctx context.Context, f *os.File, path string, waiting func()) (func(), error) {
	wait := pollMin
	for {
		got, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if got {
			return func() {
				unlockFile(f)
				f.Close()
			}, nil
		}
		if waiting != nil {
			waiting()
			waiting = nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, ctx.Err()
		case <-t.C:
		}
		if wait *= 2; wait > pollMax {
			wait = pollMax
		}
	}
}
