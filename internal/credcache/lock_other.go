//go:build !unix && !windows

package credcache

import "os"

// tryLock: no OS lock on this platform; the cache works unlocked.
func tryLock(*os.File) (bool, error) { return true, nil }

func unlockFile(*os.File) {}

func syncDir(string) {}

func isChmodUnsupported(error) bool { return true }
