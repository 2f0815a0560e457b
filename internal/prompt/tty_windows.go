//go:build windows

package prompt

import (
	"errors"
	"io"
	"os"
)

// console is the Windows console: input from CONIN$, output to CONOUT$.
type console struct{ in, out *os.File }

func (c *console) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *console) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *console) Fd() uintptr                 { return c.in.Fd() }
func (c *console) Close() error {
	return errors.Join(c.in.Close(), c.out.Close())
}

// DefaultOpenTTY opens the console (CONIN$ and CONOUT$). It fails when the
// process has no console.
func DefaultOpenTTY() (io.ReadWriteCloser, error) {
	in, err := os.OpenFile("CONIN$", os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		in.Close()
		return nil, err
	}
	return &console{in, out}, nil
}
