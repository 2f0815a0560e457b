// Package prompt asks the user a question (an MFA code) from inside a git
// credential helper or remote helper, whose stdin and stdout belong to git.
//
// Scope: the choice of channel, in this order: the controlling terminal
// (unless GIT_TERMINAL_PROMPT is false), then GIT_ASKPASS, core.askPass and
// SSH_ASKPASS, run the way git runs them (program with the prompt as its only
// argument, first line of stdout is the answer). It never reads os.Stdin nor
// writes os.Stdout; the environment, the terminal, git config and the askpass
// runner are injected. Answers are never put into errors.
package prompt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/term"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// ErrNoPrompt is wrapped by the error returned when there is no way to ask:
// no usable terminal and no askpass program.
var ErrNoPrompt = errors.New("no terminal and no askpass program")

// MFAAttempts is how many times MFACode asks on a terminal before giving up.
const MFAAttempts = 3

// Asker asks questions. All fields are optional; a zero Asker has no
// terminal and no askpass program.
type Asker struct {
	// Env reads GIT_TERMINAL_PROMPT, GIT_ASKPASS, SSH_ASKPASS (and PATH for
	// the default askpass runner).
	Env func(string) string
	// OpenTTY opens the controlling terminal; nil or an error means there is
	// none. DefaultOpenTTY is the real one. Ask closes what it returns.
	OpenTTY func() (io.ReadWriteCloser, error)
	// GitConfig returns a git config value (used for core.askPass); an error
	// or "" means unset.
	GitConfig func(ctx context.Context, key string) (string, error)
	// RunAskpass runs an askpass program and returns its answer (first line
	// of stdout, without line terminator). nil means the default: run the
	// program directly (not through a shell, as git does) with the prompt as
	// its only argument, stdin from the null device, stderr to Stderr, and
	// the inherited process environment.
	RunAskpass func(ctx context.Context, program, prompt string) (string, error)
	// Stderr receives the askpass program's stderr; nil discards it.
	Stderr io.Writer
}

func (a *Asker) env(k string) string {
	if a.Env == nil {
		return ""
	}
	return a.Env(k)
}

// terminalAllowed reports whether GIT_TERMINAL_PROMPT permits the terminal,
// parsing it like git's boolean config values.
func (a *Asker) terminalAllowed() bool {
	v := strings.TrimSpace(a.env("GIT_TERMINAL_PROMPT"))
	if v == "" {
		return true
	}
	allowed, ok := gitexec.ParseBool(v)
	return allowed || !ok
}

// openTTY returns the terminal, or nil when disabled or unavailable.
func (a *Asker) openTTY() io.ReadWriteCloser {
	if !a.terminalAllowed() || a.OpenTTY == nil {
		return nil
	}
	tty, err := a.OpenTTY()
	if err != nil || tty == nil {
		return nil
	}
	return tty
}

// askpassProgram returns the askpass program git would use, or "".
func (a *Asker) askpassProgram(ctx context.Context) (string, error) {
	if p := a.env("GIT_ASKPASS"); p != "" {
		return p, nil
	}
	if a.GitConfig != nil {
		p, err := a.GitConfig(ctx, "core.askPass")
		if err := ctx.Err(); err != nil {
			return "", err
		}
		if err == nil && strings.TrimSpace(p) != "" {
			return strings.TrimSpace(p), nil
		}
	}
	return a.env("SSH_ASKPASS"), nil
}

// Ask asks prompt on the terminal (echoing the answer if echo), else through
// an askpass program. The answer has its line terminator removed. With no
// way to ask, the error wraps ErrNoPrompt.
func (a *Asker) Ask(ctx context.Context, prompt string, echo bool) (string, error) {
	if tty := a.openTTY(); tty != nil {
		defer tty.Close()
		return readTTY(ctx, tty, prompt, echo)
	}
	prog, err := a.askpassProgram(ctx)
	if err != nil {
		return "", err
	}
	if prog != "" {
		return a.runAskpass(ctx, prog, prompt)
	}
	return "", fmt.Errorf("cannot ask %q: %w", strings.TrimSpace(prompt), ErrNoPrompt)
}

// MFACode asks for the MFA code of the device serial, used by profile. The
// answer is trimmed and must be exactly six ASCII digits; a terminal is asked
// up to MFAAttempts times, an askpass program once.
func (a *Asker) MFACode(ctx context.Context, serial, profile string) (string, error) {
	prompt := fmt.Sprintf("Enter MFA code for %s: ", failure.Escape(serial))
	if tty := a.openTTY(); tty != nil {
		defer tty.Close()
		for i := 0; i < MFAAttempts; i++ {
			ans, err := readTTY(ctx, tty, prompt, true)
			if err != nil {
				return "", fmt.Errorf("reading the MFA code of profile %s: %w", profile, err)
			}
			if code := strings.TrimSpace(ans); ValidMFACode(code) {
				return code, nil
			}
			if _, err := io.WriteString(tty, "The MFA code must be 6 digits.\n"); err != nil {
				return "", fmt.Errorf("reading the MFA code of profile %s: %w", profile, err)
			}
		}
		return "", fmt.Errorf("no valid MFA code for profile %s after %d attempts (want 6 digits)", profile, MFAAttempts)
	}
	prog, err := a.askpassProgram(ctx)
	if err != nil {
		return "", err
	}
	if prog != "" {
		ans, err := a.runAskpass(ctx, prog, prompt)
		if err != nil {
			return "", fmt.Errorf("asking for the MFA code of profile %s: %w", profile, err)
		}
		if code := strings.TrimSpace(ans); ValidMFACode(code) {
			return code, nil
		}
		return "", fmt.Errorf("askpass program %s gave an invalid MFA code for profile %s (want 6 digits)", prog, profile)
	}
	return "", fmt.Errorf("cannot ask for the MFA code of profile %s: %w", profile, ErrNoPrompt)
}

// ValidMFACode reports whether s is an MFA code: exactly six ASCII digits.
func ValidMFACode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// fder is implemented by *os.File and the Windows console pair.
type fder interface{ Fd() uintptr }

// readTTY writes prompt to tty and reads one line. With echo off on a real
// terminal it uses golang.org/x/term and writes the newline the user's Enter
// did not echo (as git does). Cancelling ctx closes tty to unblock the read.
func readTTY(ctx context.Context, tty io.ReadWriteCloser, prompt string, echo bool) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if _, err := io.WriteString(tty, prompt); err != nil {
		return "", fmt.Errorf("writing to terminal: %w", err)
	}
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	var restore func()
	if f, ok := tty.(fder); ok && !echo {
		// Fd may switch the file to blocking mode; only use it here.
		fd := int(f.Fd())
		if term.IsTerminal(fd) {
			state, err := term.GetState(fd)
			if err != nil {
				return "", fmt.Errorf("terminal state: %w", err)
			}
			restore = func() { _ = term.Restore(fd, state) }
			go func() {
				b, err := term.ReadPassword(fd)
				done <- result{string(b), err}
			}()
		}
	}
	if restore == nil {
		go func() {
			s, err := readLine(tty)
			done <- result{s, err}
		}()
	}
	select {
	case r := <-done:
		if r.err != nil {
			return "", fmt.Errorf("reading from terminal: %w", r.err)
		}
		if !echo {
			_, _ = io.WriteString(tty, "\n")
		}
		return r.s, nil
	case <-ctx.Done():
		if restore != nil {
			restore()
		}
		_, _ = io.WriteString(tty, "\n")
		tty.Close() // unblocks the reader
		return "", ctx.Err()
	}
}

// readLine reads up to and excluding "\n" (and a preceding "\r") one byte at
// a time, so nothing after the line is consumed. EOF after some input ends
// the line; EOF before any input is an error.
func readLine(r io.Reader) (string, error) {
	var line []byte
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line = append(line, b[0])
			continue
		}
		if err == io.EOF && len(line) > 0 {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return strings.TrimSuffix(string(line), "\r"), nil
}

func (a *Asker) runAskpass(ctx context.Context, program, prompt string) (string, error) {
	run := a.RunAskpass
	if run == nil {
		run = a.defaultRunAskpass
	}
	ans, err := run(ctx, program, prompt)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return "", ctxErr
		}
		return "", fmt.Errorf("unable to read askpass response from %s: %w", program, err)
	}
	return ans, nil
}

// defaultRunAskpass runs program like git's do_askpass.
func (a *Asker) defaultRunAskpass(ctx context.Context, program, prompt string) (string, error) {
	path, err := a.lookPath(program)
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, path, prompt)
	cmd.Args[0] = program
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = a.Stderr
	if err := cmd.Run(); err != nil {
		return "", err
	}
	s := out.String()
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s, nil
}

// lookPath resolves a bare program name against Env("PATH") (not the
// process's own PATH variable).
func (a *Asker) lookPath(program string) (string, error) {
	if strings.ContainsAny(program, `/\`) {
		return program, nil
	}
	if p, ok := proc.LookPathIn(a.env("PATH"), program); ok {
		return p, nil
	}
	return "", fmt.Errorf("%s: %w", program, exec.ErrNotFound)
}

// compile-time check that *os.File provides Fd.
var _ fder = (*os.File)(nil)
