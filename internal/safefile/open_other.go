//go:build !unix

package safefile

import (
	"io/fs"
	"os"
)

// openRead opens path read-only. Outside Unix there are no FIFOs in the
// file system to block on.
func openRead(path string) (*os.File, error) { return os.Open(path) }

// openNoFollow checks for a link before opening: outside Unix there is no
// O_NOFOLLOW.
func openNoFollow(path string, flag int, perm fs.FileMode) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, errSymlink
	}
	return os.OpenFile(path, flag, perm)
}

type symlinkErr struct{}

func (symlinkErr) Error() string { return "symbolic link" }

var errSymlink = symlinkErr{}

func isLoop(err error) bool { return err == errSymlink }
