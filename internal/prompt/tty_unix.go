//go:build !windows

package prompt

import (
	"io"
	"os"
)

// DefaultOpenTTY opens the controlling terminal, /dev/tty. It fails when the
// process has none (e.g. under a GUI git client or in CI).
func DefaultOpenTTY() (io.ReadWriteCloser, error) {
	return os.OpenFile("/dev/tty", os.O_RDWR, 0)
}
