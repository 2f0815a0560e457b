//go:build !unix

package gitexec

import (
	"context"
	"errors"
	"fmt"
	"os/exec"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
)

// run starts git remote-https as a child, with a credential helper that signs
// again when git asks (no exec, no inherited pipes here), and passes its exit
// status through.
func (h *HandOff) run(ctx context.Context) error {
	if h.Helper == "" {
		return errors.New("no credential helper to hand to git on this platform")
	}
	env, warning, err := h.childEnv()
	if err != nil {
		return err
	}
	if warning != "" {
		fmt.Fprintln(h.Stderr, warning)
	}
	argv0, argv, err := h.command()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, argv0, argv[1:]...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, h.Stdin, h.Stdout, h.Stderr
	h.trace("run %s %s %s (credential helper %q for %s)", argv0, h.Remote, h.URL, h.Helper, h.origin())
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return failure.ExitStatus(ee.ExitCode())
	}
	if err != nil {
		return fmt.Errorf("running git remote-https: %w", err)
	}
	return nil
}
