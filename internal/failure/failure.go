// Package failure is how an error reaches a user: one line on standard error
// saying what was wrong and what to run, and an exit code. Every program of
// the toolset ends through Report; packages below it only return errors,
// wrapped with %w, some carrying a hint through a Hint() string method.
package failure

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// Exit codes shared by the toolset's programs.
const (
	OK       = 0
	Failed   = 1   // the operation failed
	Usage    = 2   // the command line was wrong
	Internal = 70  // a bug: EX_SOFTWARE
	SIGINT   = 130 // interrupted
	SIGTERM  = 143 // terminated
)

// Hinter is an error that knows what the user should run to fix it.
type Hinter interface{ Hint() string }

// Coder is an error that chooses its program's exit code.
type Coder interface{ ExitCode() int }

type hinted struct {
	err  error
	hint string
	code int
}

func (h *hinted) Error() string { return h.err.Error() }
func (h *hinted) Unwrap() error { return h.err }
func (h *hinted) Hint() string  { return h.hint }
func (h *hinted) ExitCode() int { return h.code }

// WithHint attaches a fix to err. A nil err stays nil.
func WithHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &hinted{err: err, hint: hint, code: Failed}
}

// UsageError is a wrong command line: exit code 2.
func UsageError(hint, format string, args ...any) error {
	return &hinted{err: fmt.Errorf(format, args...), hint: hint, code: Usage}
}

// ExitStatus is the exit status of a child the program stood in for, passed
// through unchanged and printed as nothing.
type ExitStatus int

func (e ExitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// ExitCode implements Coder.
func (e ExitStatus) ExitCode() int { return int(e) }

// Hint returns the first hint on err's chain, or "".
func Hint(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if h, ok := e.(Hinter); ok && h.Hint() != "" {
			return h.Hint()
		}
	}
	return ""
}

// Message renders err as the one line a user reads: the error, then its hint.
func Message(err error) string {
	msg := oneLine(err.Error())
	if h := oneLine(Hint(err)); h != "" && !strings.Contains(msg, h) {
		msg += "; " + h
	}
	return msg
}

// Code returns the exit code for err.
func Code(err error) int {
	switch {
	case err == nil:
		return OK
	case errors.Is(err, context.Canceled):
		return SIGINT
	}
	var c Coder
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	return Failed
}

// Report prints err as "prog: message" on w and returns the exit code. An
// ExitStatus prints nothing: the child has spoken.
func Report(w io.Writer, prog string, err error) int {
	if err == nil {
		return OK
	}
	var st ExitStatus
	if !errors.As(err, &st) {
		fmt.Fprintf(w, "%s: %s\n", prog, Message(err))
	}
	return Code(err)
}

// Main runs fn, turning its error, or a panic, into a report and an exit
// code. A panic prints one line and, only when stack is true (tracing is on),
// the stack.
func Main(prog string, stderr io.Writer, stack bool, fn func() error) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "%s: internal error: %v; please report it with the output of GIT_TRACE_CODECOMMIT=1\n", prog, r)
			if stack {
				stderr.Write(debug.Stack())
			}
			code = Internal
		}
	}()
	return Report(stderr, prog, fn())
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r", "")
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
