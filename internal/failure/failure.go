// Package failure is how an error reaches a user: one line on standard error
// saying what was wrong and what to run, and an exit code. Every program of
// the toolset ends through Report; packages below it only return errors,
// wrapped with %w, some carrying a hint through a Hint() string method.
//
// It is also the one home of terminal safety: Escape is how any text that
// came from the environment, a file, a server or a URL is made safe to print,
// and Report applies it to every line it prints.
package failure

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"unicode/utf8"
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

// Diagnose is an error for which running git codecommit doctor is (part
// of) the fix. Its Hint holds only the fix specific to it ("" when there is
// none); Hint adds the suggestion to run doctor, Fix, which doctor uses,
// never does: a fact, not text, so doctor never suggests itself.
type Diagnose interface{ NeedsDiagnosis() bool }

// Diagnosis is the fix of an error that needs a diagnosis and has no other.
const Diagnosis = "run 'git codecommit doctor' for a diagnosis"

// Hint returns the first hint on err's chain, or "", with the suggestion to
// run git codecommit doctor when that error needs a diagnosis.
func Hint(err error) string {
	h, diagnose := fix(err)
	switch {
	case !diagnose:
		return h
	case h == "":
		return Diagnosis
	}
	return h + ", or run 'git codecommit doctor'"
}

// Fix is Hint without the suggestion to run git codecommit doctor: what
// doctor prints as a cause's fix ("" when there is none).
func Fix(err error) string {
	h, _ := fix(err)
	return h
}

// fix returns the first hint on err's chain, and whether the error giving
// it (or the first asking for a diagnosis) needs one.
func fix(err error) (string, bool) {
	for e := err; e != nil; e = errors.Unwrap(e) {
		d, isD := e.(Diagnose)
		diagnose := isD && d.NeedsDiagnosis()
		if h, ok := e.(Hinter); ok && h.Hint() != "" {
			return h.Hint(), diagnose
		}
		if diagnose {
			return "", true
		}
	}
	return "", false
}

// Message renders err as the one line a user reads: the error, then its hint,
// with control characters escaped (see Escape).
func Message(err error) string {
	msg := OneLine(err.Error())
	if h := OneLine(Hint(err)); h != "" && !strings.Contains(msg, h) {
		msg += "; " + h
	}
	return Escape(msg)
}

// Escape makes s safe to print on a terminal: C0 and C1 control characters,
// DEL, Unicode line separators and bidirectional overrides, and bytes that are
// not UTF-8 are written as Go escapes (\n, \x1b, \u202e, \xff); everything
// else, backslashes included, is left as it is, so text without control
// characters (and text already quoted with %q) prints unchanged.
func Escape(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case !unsafeRune(r, n):
			b.WriteString(s[i : i+n])
		case r == utf8.RuneError:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

// unsafeRune reports whether the rune r, n bytes long in its string, must not
// reach a terminal as it is.
func unsafeRune(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return true
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r == 0x2028, r == 0x2029,
		r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
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
		fmt.Fprintf(w, "%s: %s\n", Escape(prog), Message(err))
	}
	return Code(err)
}

// Main runs fn, turning its error, or a panic, into a report and an exit
// code. A panic prints one line and, only when stack is true (tracing is on),
// the stack.
func Main(prog string, stderr io.Writer, stack bool, fn func() error) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "%s: internal error: %s; please report it with the output of GIT_TRACE_CODECOMMIT=1\n", prog, Escape(fmt.Sprint(r)))
			if stack {
				stderr.Write(debug.Stack())
			}
			code = Internal
		}
	}()
	return Report(stderr, prog, fn())
}

// OneLine folds s onto one line for a message: line breaks and runs of
// blanks become one space. It is the one home of that rule.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Clip shortens s to at most max bytes for a message, never cutting a
// UTF-8 character in half, and marks the cut with "…". It is the one home
// of that rule; s may be anything a user, git or a server sent.
func Clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
