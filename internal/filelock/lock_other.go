//go:build !unix && !windows

package filelock

import "os"

// tryLock: no OS lock on this platform; the cache works unlocked.
func tryLock(*os.File) (bool, error) { return true, nil }

func unlockFile(*os.File) {}

func openDir(string) (*os.File, error) { return nil, nil }
