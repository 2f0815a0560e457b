//go:build unix

package gitexec

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// run hands the credential to git remote-https through one pipe whose read
// end stays open, without close-on-exec, across the exec of git: a
// configuration file, included from the command-line configuration as
// /dev/fd/N, holding the credential as an http.extraHeader. git sends it
// with its first request, so there is no 401 round trip and no helper
// process. git remote-https reads its configuration, and so the pipe, to
// the end before it starts any other process: the processes it starts
// (send-pack, fetch-pack, a credential helper) inherit an empty pipe. The
// secret is never in an argument, an environment variable or a file.
func (h *HandOff) run(ctx context.Context) error {
	argv0, argv, err := h.command()
	if err != nil {
		return err
	}
	headerFD, err := inheritedPipe(h.Cred.HeaderConfig())
	if err != nil {
		return fmt.Errorf("preparing credential pipe: %w", err)
	}
	return h.exec(ctx, argv0, argv, headerFD)
}

// inheritedPipe returns the read end of a pipe holding data, on a descriptor
// that a child inherits. F_DUPFD gives the lowest free descriptor from 3 up,
// without close-on-exec, atomically.
func inheritedPipe(data []byte) (int, error) {
	if len(data) > 60*1024 {
		return -1, fmt.Errorf("credential too large for a pipe (%d bytes)", len(data))
	}
	r, w, err := os.Pipe()
	if err != nil {
		return -1, err
	}
	defer r.Close()
	_, err = w.Write(data)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return -1, err
	}
	return unix.FcntlInt(r.Fd(), unix.F_DUPFD, 3)
}

func (h *HandOff) exec(ctx context.Context, argv0 string, argv []string, headerFD int) error {
	env, warning, err := h.childEnv(KV{"include.path", fmt.Sprintf("/dev/fd/%d", headerFD)})
	if err != nil {
		return err
	}
	if warning != "" {
		fmt.Fprintln(h.Stderr, warning)
	}
	h.trace("exec %s %s %s (credential header via fd %d, credential helper %q for %s)", argv0, h.Remote, h.URL, headerFD, h.Helper, h.origin())
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := syscall.Exec(argv0, argv, env); err != nil {
		return fmt.Errorf("running git remote-https: %w", err)
	}
	return nil
}
