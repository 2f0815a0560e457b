//go:build unix

package gitexec

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// run hands the credential to git remote-https through two pipes whose read
// ends stay open, without close-on-exec, across the exec of git:
//
//   - a configuration file, included from the command-line configuration as
//     /dev/fd/N, holding the credential as an http.extraHeader: git sends it
//     with its first request, so there is no 401 round trip and no helper
//     process;
//   - the credential response for the helper git is configured with, which
//     copies it out if git ever asks (when the include could not be read:
//     no /dev/fd, or git read its configuration before the remote's).
//
// A pipe is read once: what git reads first, no later reader (a child git
// inheriting the descriptor) sees. The secret is never in an argument, an
// environment variable or a file.
func (h *HandOff) run(ctx context.Context) error {
	argv0, argv, err := h.command()
	if err != nil {
		return err
	}
	credFD, err := inheritedPipe(h.Cred.Response())
	if err != nil {
		return fmt.Errorf("preparing credential pipe: %w", err)
	}
	headerFD, err := inheritedPipe(h.Cred.HeaderConfig())
	if err != nil {
		return fmt.Errorf("preparing credential pipe: %w", err)
	}
	return h.exec(ctx, argv0, argv, credFD, headerFD)
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

// helperFor returns the credential helper that copies the response out of
// descriptor fd; shells redirect single digits only, so above 9 it opens
// /dev/fd/N instead. Only "get" is answered; store and erase are for nobody. The
// request on stdin is drained first so git never writes to a closed pipe.
func helperFor(fd int) string {
	src := fmt.Sprintf("<&%d", fd)
	if fd > 9 {
		src = fmt.Sprintf("</dev/fd/%d", fd)
	}
	return `!f() { test "$1" = get || exit 0; while IFS= read -r l && test -n "$l"; do :; done; while IFS= read -r l; do printf '%s\n' "$l"; done ` + src + `; }; f`
}

func (h *HandOff) exec(ctx context.Context, argv0 string, argv []string, credFD, headerFD int) error {
	env, dropped, err := h.childEnv(helperFor(credFD), KV{"include.path", fmt.Sprintf("/dev/fd/%d", headerFD)})
	if err != nil {
		return err
	}
	for _, v := range dropped {
		fmt.Fprintf(h.Stderr, "warning: %s is ignored for CodeCommit remotes with session credentials: curl would print the session token\n", v)
	}
	h.trace("exec %s %s %s (credential header via fd %d, helper via fd %d)", argv0, h.Remote, h.URL, headerFD, credFD)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := syscall.Exec(argv0, argv, env); err != nil {
		return fmt.Errorf("running git remote-https: %w", err)
	}
	return nil
}
