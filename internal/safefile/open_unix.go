//go:build unix

package safefile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// openRead opens path read-only and non-blocking: opening a FIFO does not
// wait for a writer. Reads of a regular file never block, so the flag needs
// no clearing.
func openRead(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

func openNoFollow(path string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(path, flag|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, perm)
}

func isLoop(err error) bool { return errors.Is(err, syscall.ELOOP) }
