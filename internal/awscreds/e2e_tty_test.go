//go:build linux || darwin || freebsd

package awscreds_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// terminal is the master side of a pseudo-terminal, read in the background.
type terminal struct {
	ptmx *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	more chan struct{}
	done chan struct{}
}

func (tm *terminal) read() {
	defer close(tm.done)
	buf := make([]byte, 4096)
	for {
		n, err := tm.ptmx.Read(buf)
		tm.mu.Lock()
		tm.out.Write(buf[:n])
		tm.mu.Unlock()
		select {
		case tm.more <- struct{}{}:
		default:
		}
		if err != nil {
			return // EIO once the last process holding the terminal exits
		}
	}
}

func (tm *terminal) text() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.String()
}

// waitFor waits until the terminal shows want n times.
func (tm *terminal) waitFor(ctx context.Context, t *testing.T, want string, n int) {
	t.Helper()
	for strings.Count(tm.text(), want) < n {
		select {
		case <-tm.more:
		case <-tm.done:
			if strings.Count(tm.text(), want) < n {
				t.Fatalf("terminal closed before showing %q %d times:\n%s", want, n, tm.text())
			}
		case <-ctx.Done():
			t.Fatalf("terminal never showed %q %d times:\n%s", want, n, tm.text())
		}
	}
}

// startOnTerminal starts the command with a new pseudo-terminal as its
// controlling terminal while its stdin, stdout and stderr stay pipes, as
// under git.
func startOnTerminal(t *testing.T, e *gittest.Env, name string, args ...string) (*exec.Cmd, *terminal, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = e.Work, e.Environ
	var stdout, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), &stdout, &stderr
	cmd.ExtraFiles = []*os.File{tty} // fd 3 in the child
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 3}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	tm := &terminal{ptmx: ptmx, more: make(chan struct{}, 1), done: make(chan struct{})}
	go tm.read()
	// A guard against hangs, not a time limit on the test.
	guard := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	t.Cleanup(func() { guard.Stop() })
	return cmd, tm, &stdout, &stderr
}

func TestMFAPromptOnControllingTerminal(t *testing.T) {
	e := newMFAEnv(t)
	e.Unsetenv("GIT_TERMINAL_PROMPT")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, tm, stdout, stderr := startOnTerminal(t, e, "git", "ls-remote", "codecommit://role-mfa@demo")
	prompt := "Enter MFA code for " + mfaSerial + ": "
	tm.waitFor(ctx, t, prompt, 1)
	if _, err := tm.ptmx.WriteString("12345\n"); err != nil { // too short: asked again
		t.Fatal(err)
	}
	tm.waitFor(ctx, t, prompt, 2)
	if n := len(e.Server.STSCalls()); n != 0 {
		t.Errorf("an invalid code reached STS: %v", e.Server.STSCalls())
	}
	if _, err := tm.ptmx.WriteString(mfaCode + "\n"); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("git ls-remote: %v\nstderr:\n%s\nterminal:\n%s", err, stderr, tm.text())
	}
	if !strings.Contains(tm.text(), "The MFA code must be 6 digits.") {
		t.Errorf("terminal lacks the retry message:\n%s", tm.text())
	}
	for name, s := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
		if strings.Contains(s, "MFA") || strings.Contains(s, mfaCode) {
			t.Errorf("%s carries the prompt or the code:\n%s", name, s)
		}
	}
	if n := assumeRoleCalls(e); n != 1 {
		t.Errorf("AssumeRole calls = %d, want 1", n)
	}
}

func TestMFACommandPromptsOnTerminal(t *testing.T) {
	e := newMFAEnv(t)
	e.Unsetenv("GIT_TERMINAL_PROMPT")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, tm, stdout, stderr := startOnTerminal(t, e, "git", "codecommit", "mfa", "--profile", "dev", "--serial", mfaSerial)
	tm.waitFor(ctx, t, "Enter MFA code for "+mfaSerial+": ", 1)
	if _, err := tm.ptmx.WriteString(mfaCode + "\n"); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("git codecommit mfa: %v\nstderr:\n%s\nterminal:\n%s", err, stderr, tm.text())
	}
	if !strings.Contains(stdout.String(), "session credentials for profile dev-mfa written") {
		t.Errorf("stdout:\n%s", stdout)
	}
	e.Git("ls-remote", "codecommit::us-east-1://dev-mfa@demo").Must()
}
