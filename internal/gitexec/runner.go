package gitexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Runner runs git with the given arguments and returns its standard
// output. A non-zero exit is reported as an *Error (see ExitCode): callers
// rely on `git config --get-all` exiting with 1 for a missing key. Exec is
// the implementation; tests may plug in another.
type Runner interface {
	Git(ctx context.Context, args ...string) (stdout string, err error)
}

// Exec is the one way the toolset runs git: the program Proc.Git (see
// Program), with Proc's environment, in Dir (Proc.Dir when empty).
type Exec struct {
	Proc *proc.Proc
	Dir  string // git's working directory; "" is Proc.Dir
}

// Program finds the git p runs: p.Git (default "git") as given when it
// names a path, else on p's PATH through p.LookPath, the toolset's one
// PATH lookup (absolute directories only, never the current directory).
func Program(p *proc.Proc) (string, error) {
	cmd, err := p.Command(context.Background(), gitName(p))
	if err != nil {
		return "", err
	}
	return cmd.Path, nil
}

func gitName(p *proc.Proc) string {
	if p.Git == "" {
		return "git"
	}
	return p.Git
}

// Command returns the command that runs git with args, with p's
// environment and directory (r.Dir when set); the caller sets its streams.
func (r Exec) Command(ctx context.Context, args ...string) (*exec.Cmd, error) {
	cmd, err := r.Proc.Command(ctx, gitName(r.Proc), args...)
	if err != nil {
		return nil, err
	}
	if r.Dir != "" {
		cmd.Dir = r.Dir
	}
	return cmd, nil
}

// Git implements Runner.
func (r Exec) Git(ctx context.Context, args ...string) (string, error) {
	cmd, err := r.Command(ctx, args...)
	if err != nil {
		return "", &Error{Args: args, ExitCode: -1, Err: err}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		code := -1
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		return stdout.String(), &Error{Args: args, ExitCode: code, Stderr: failure.OneLine(stderr.String()), Err: err}
	}
	return stdout.String(), nil
}

// Error describes a failed git invocation.
type Error struct {
	Args     []string
	ExitCode int    // -1 if git did not run or was killed
	Stderr   string // git's stderr folded onto one line
	Err      error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("git %s: %v", strings.Join(e.Args, " "), e.Err)
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// ExitCode returns the exit status carried by err (an *Error, or any error
// with an ExitCode method such as *exec.ExitError), or -1.
func ExitCode(err error) int {
	var ge *Error
	if errors.As(err, &ge) {
		return ge.ExitCode
	}
	var ec interface{ ExitCode() int }
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return -1
}
