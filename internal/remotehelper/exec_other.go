//go:build !unix

package remotehelper

import (
	"context"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// replaceWith runs program as a child with argv, p's environment and
// standard streams, and passes its exit status through: there is no exec
// here.
func replaceWith(ctx context.Context, p *proc.Proc, program string, argv []string) error {
	status, err := p.RunChild(ctx, program, argv, p.Stdin)
	if err != nil {
		return err
	}
	if status != 0 {
		return failure.ExitStatus(status)
	}
	return nil
}
