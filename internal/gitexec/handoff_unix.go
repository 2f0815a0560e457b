//go:build unix

package gitexec

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// run writes the credential response into a pipe whose read end stays open,
// without close-on-exec, across the exec of git; the credential helper git
// is configured with copies it out when git asks, and answers nothing else.
// The secret is never in an argument, an environment variable or a file.
func (h *HandOff) run(ctx context.Context) error {
	argv0, argv, err := h.command()
	if err != nil {
		return err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("creating credential pipe: %w", err)
	}
	resp := h.Cred.Response()
	if len(resp) > 60*1024 {
		return fmt.Errorf("credential too large for the pipe (%d bytes)", len(resp))
	}
	if _, err := w.Write(resp); err != nil {
		return fmt.Errorf("writing credential pipe: %w", err)
	}
	w.Close()
	// F_DUPFD gives the lowest free descriptor from 3 up, without
	// close-on-exec, atomically; shells redirect single digits only, so
	// above 9 the helper opens /dev/fd/N instead.
	fd, err := unix.FcntlInt(r.Fd(), unix.F_DUPFD, 3)
	if err != nil {
		return fmt.Errorf("preparing credential pipe: %w", err)
	}
	r.Close()
	return h.exec(ctx, argv0, argv, fd)
}

// helperFor returns the credential helper that copies the response out of
// descriptor fd. Only "get" is answered; store and erase are for nobody. The
// request on stdin is drained first so git never writes to a closed pipe.
func helperFor(fd int) string {
	src := fmt.Sprintf("<&%d", fd)
	if fd > 9 {
		src = fmt.Sprintf("</dev/fd/%d", fd)
	}
	return `!f() { test "$1" = get || exit 0; while IFS= read -r l && test -n "$l"; do :; done; while IFS= read -r l; do printf '%s\n' "$l"; done ` + src + `; }; f`
}

func (h *HandOff) exec(ctx context.Context, argv0 string, argv []string, fd int) error {
	helper := helperFor(fd)
	env, dropped, err := h.childEnv(helper)
	if err != nil {
		return err
	}
	for _, v := range dropped {
		fmt.Fprintf(h.Stderr, "warning: %s is ignored for CodeCommit remotes with session credentials: curl would print the session token\n", v)
	}
	h.trace("exec %s %s %s (credential via fd %d)", argv0, h.Remote, h.URL, fd)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := syscall.Exec(argv0, argv, env); err != nil {
		return fmt.Errorf("running git remote-https: %w", err)
	}
	return nil
}
