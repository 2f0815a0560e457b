//go:build unix

package remotehelper

import (
	"context"
	"fmt"
	"syscall"

	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// replaceWith execs program with argv, p's environment and this process's
// descriptors.
func replaceWith(_ context.Context, p *proc.Proc, program string, argv []string) error {
	if err := syscall.Exec(program, argv, p.Environ); err != nil {
		return fmt.Errorf("running %s: %w", program, err)
	}
	return nil
}
