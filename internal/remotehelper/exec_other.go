//go:build !unix

package remotehelper

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// replaceWith runs program as a child with argv, p's environment and
// this process's standard streams, and passes its exit status through:
// there is no exec here.
func replaceWith(ctx context.Context, p *proc.Proc, program string, argv []string) error {
	cmd := exec.CommandContext(ctx, program, argv[1:]...)
	cmd.Args, cmd.Env = argv, p.Environ
	cmd.Stdin, cmd.Stdout, cmd.Stderr = fileOr(p.Stdin, os.Stdin), fileOr(p.Stdout, os.Stdout), fileOr(p.Stderr, os.Stderr)
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return failure.ExitStatus(ee.ExitCode())
	}
	if err != nil {
		return fmt.Errorf("running %s: %w", program, err)
	}
	return nil
}
