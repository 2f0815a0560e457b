package prompt

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

const serial = "arn:aws:iam::123456789012:mfa/alice"
const wantPrompt = "Enter MFA code for arn:aws:iam::123456789012:mfa/alice: "

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// term is a pseudo-terminal whose master side output is collected.
type fakeTerm struct {
	t    *testing.T
	ptmx *os.File
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
}

func newTerm(t *testing.T) *fakeTerm {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no pty")
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("pty: %v", err)
	}
	ft := &fakeTerm{t: t, ptmx: ptmx, tty: tty}
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := ptmx.Read(buf)
			ft.mu.Lock()
			ft.out.Write(buf[:n])
			ft.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	return ft
}

func (ft *fakeTerm) open() (io.ReadWriteCloser, error) { return ft.tty, nil }

func (ft *fakeTerm) output() string {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return ft.out.String()
}

// waitFor waits until s has appeared n times in the terminal output.
func (ft *fakeTerm) waitFor(s string, n int) {
	ft.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(ft.output(), s) < n {
		if time.Now().After(deadline) {
			ft.t.Fatalf("timeout waiting for %q x%d; got %q", s, n, ft.output())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (ft *fakeTerm) typeLine(s string) {
	ft.t.Helper()
	if _, err := ft.ptmx.Write([]byte(s)); err != nil {
		ft.t.Fatal(err)
	}
}

func noAskpass(t *testing.T) func(context.Context, string, string) (string, error) {
	return func(context.Context, string, string) (string, error) {
		t.Error("askpass must not run")
		return "", errors.New("unexpected")
	}
}

func TestMFACodeTerminal(t *testing.T) {
	ft := newTerm(t)
	a := &Asker{
		Env:        envMap(map[string]string{"GIT_ASKPASS": "/bin/false"}),
		OpenTTY:    ft.open,
		RunAskpass: noAskpass(t),
	}
	go func() {
		ft.waitFor(wantPrompt, 1)
		ft.typeLine("123456\n")
	}()
	code, err := a.MFACode(context.Background(), serial, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if code != "123456" {
		t.Errorf("code = %q", code)
	}
	if !strings.HasPrefix(ft.output(), wantPrompt) {
		t.Errorf("terminal output %q", ft.output())
	}
}

func TestMFACodeTerminalRetry(t *testing.T) {
	ft := newTerm(t)
	a := &Asker{OpenTTY: ft.open}
	go func() {
		ft.waitFor(wantPrompt, 1)
		ft.typeLine("12ab56\n")
		ft.waitFor(wantPrompt, 2)
		ft.typeLine("  654321 \n")
	}()
	code, err := a.MFACode(context.Background(), serial, "dev")
	if err != nil || code != "654321" {
		t.Fatalf("code %q err %v", code, err)
	}
	if !strings.Contains(ft.output(), "must be 6 digits") {
		t.Errorf("no complaint on terminal: %q", ft.output())
	}
}

func TestMFACodeTerminalGivesUp(t *testing.T) {
	ft := newTerm(t)
	a := &Asker{OpenTTY: ft.open}
	go func() {
		for i, s := range []string{"1\n", "1234567\n", "abcdef\n"} {
			ft.waitFor(wantPrompt, i+1)
			ft.typeLine(s)
		}
	}()
	_, err := a.MFACode(context.Background(), serial, "dev")
	if err == nil || !strings.Contains(err.Error(), "dev") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "1234567") || strings.Contains(err.Error(), "abcdef") {
		t.Errorf("error quotes the answer: %v", err)
	}
}

func TestAskNoEchoTerminal(t *testing.T) {
	ft := newTerm(t)
	a := &Asker{OpenTTY: ft.open}
	go func() {
		ft.waitFor("Password: ", 1)
		time.Sleep(50 * time.Millisecond) // let echo be switched off
		ft.typeLine("hunter2\n")
	}()
	ans, err := a.Ask(context.Background(), "Password: ", false)
	if err != nil || ans != "hunter2" {
		t.Fatalf("ans %q err %v", ans, err)
	}
	time.Sleep(50 * time.Millisecond)
	if strings.Contains(ft.output(), "hunter2") {
		t.Errorf("answer echoed: %q", ft.output())
	}
}

func TestAskTerminalCancel(t *testing.T) {
	ft := newTerm(t)
	a := &Asker{OpenTTY: ft.open}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		ft.waitFor("Q: ", 1)
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := a.Ask(ctx, "Q: ", true)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Ask ignored cancellation")
	}
}

func TestNoPrompt(t *testing.T) {
	for _, v := range []string{"0", "false", "No", "off"} {
		opened := false
		a := &Asker{
			Env: envMap(map[string]string{"GIT_TERMINAL_PROMPT": v}),
			OpenTTY: func() (io.ReadWriteCloser, error) {
				opened = true
				return nil, errors.New("x")
			},
			GitConfig: func(context.Context, string) (string, error) { return "", errors.New("unset") },
		}
		_, err := a.MFACode(context.Background(), serial, "prod-admin")
		if !errors.Is(err, ErrNoPrompt) {
			t.Fatalf("GIT_TERMINAL_PROMPT=%s: err = %v", v, err)
		}
		want := "cannot ask for the MFA code of profile prod-admin: no terminal and no askpass program"
		if err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
		if opened {
			t.Errorf("GIT_TERMINAL_PROMPT=%s: terminal opened", v)
		}
	}
	// No terminal at all, nothing configured.
	a := &Asker{OpenTTY: func() (io.ReadWriteCloser, error) { return nil, os.ErrNotExist }}
	if _, err := a.Ask(context.Background(), "Q: ", true); !errors.Is(err, ErrNoPrompt) {
		t.Errorf("Ask: err = %v", err)
	}
	if _, err := (&Asker{}).MFACode(context.Background(), serial, "p"); !errors.Is(err, ErrNoPrompt) {
		t.Errorf("zero Asker: err = %v", err)
	}
}

func TestAskpassOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		cfg  string
		want string
	}{
		{"GIT_ASKPASS first", map[string]string{"GIT_ASKPASS": "git-ap", "SSH_ASKPASS": "ssh-ap"}, "cfg-ap", "git-ap"},
		{"then core.askPass", map[string]string{"SSH_ASKPASS": "ssh-ap"}, "cfg-ap", "cfg-ap"},
		{"then SSH_ASKPASS", map[string]string{"SSH_ASKPASS": "ssh-ap"}, "", "ssh-ap"},
		{"terminal disabled", map[string]string{"GIT_TERMINAL_PROMPT": "0", "SSH_ASKPASS": "ssh-ap"}, "", "ssh-ap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ran []string
			a := &Asker{
				Env:     envMap(tc.env),
				OpenTTY: func() (io.ReadWriteCloser, error) { return nil, errors.New("no tty") },
				GitConfig: func(_ context.Context, key string) (string, error) {
					if key != "core.askPass" {
						t.Errorf("GitConfig(%q)", key)
					}
					if tc.cfg == "" {
						return "", errors.New("exit status 1")
					}
					return tc.cfg, nil
				},
				RunAskpass: func(_ context.Context, prog, prompt string) (string, error) {
					ran = append(ran, prog)
					if prompt != wantPrompt {
						t.Errorf("prompt %q", prompt)
					}
					return "111111", nil
				},
			}
			code, err := a.MFACode(context.Background(), serial, "p")
			if err != nil || code != "111111" {
				t.Fatalf("code %q err %v", code, err)
			}
			if len(ran) != 1 || ran[0] != tc.want {
				t.Errorf("ran %v, want [%s]", ran, tc.want)
			}
		})
	}
}

func TestTerminalBeforeAskpass(t *testing.T) {
	ft := newTerm(t)
	a := &Asker{
		Env:        envMap(map[string]string{"GIT_ASKPASS": "x", "GIT_TERMINAL_PROMPT": "1"}),
		OpenTTY:    ft.open,
		RunAskpass: noAskpass(t),
	}
	go func() {
		ft.waitFor(wantPrompt, 1)
		ft.typeLine("000000\n")
	}()
	if code, err := a.MFACode(context.Background(), serial, "p"); err != nil || code != "000000" {
		t.Fatalf("code %q err %v", code, err)
	}
}

func TestAskpassInvalidCodeAskedOnce(t *testing.T) {
	n := 0
	a := &Asker{
		Env: envMap(map[string]string{"GIT_ASKPASS": "ap"}),
		RunAskpass: func(context.Context, string, string) (string, error) {
			n++
			return "12ab56", nil
		},
	}
	_, err := a.MFACode(context.Background(), serial, "p")
	if err == nil || n != 1 || strings.Contains(err.Error(), "12ab56") {
		t.Fatalf("err %v, runs %d", err, n)
	}
}

func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultAskpassScript(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell script")
	}
	dir := t.TempDir()
	argFile := filepath.Join(dir, "arg")
	stdinFile := filepath.Join(dir, "stdin")
	script := writeScript(t, dir, "my askpass", `
printf '%s|%s' "$#" "$1" > '`+argFile+`'
cat > '`+stdinFile+`'
echo "from askpass" >&2
printf ' 424242 \r\nsecond line\n'
`)
	var stderr bytes.Buffer
	a := &Asker{
		Env:     envMap(map[string]string{"GIT_ASKPASS": script, "GIT_TERMINAL_PROMPT": "0"}),
		OpenTTY: func() (io.ReadWriteCloser, error) { t.Error("tty opened"); return nil, errors.New("x") },
		Stderr:  &stderr,
	}
	code, err := a.MFACode(context.Background(), serial, "p")
	if err != nil || code != "424242" {
		t.Fatalf("code %q err %v", code, err)
	}
	if got, _ := os.ReadFile(argFile); string(got) != "1|"+wantPrompt {
		t.Errorf("askpass args %q", got)
	}
	if got, _ := os.ReadFile(stdinFile); len(got) != 0 {
		t.Errorf("askpass stdin %q, want empty", got)
	}
	if !strings.Contains(stderr.String(), "from askpass") {
		t.Errorf("stderr %q", stderr.String())
	}

	// Ask returns the first line untrimmed (like git).
	ans, err := a.Ask(context.Background(), "Q: ", false)
	if err != nil || ans != " 424242 " {
		t.Errorf("Ask: %q %v", ans, err)
	}

	// A bare name is looked up in Env("PATH"); a failing program is an error.
	writeScript(t, dir, "failing-askpass", "exit 3\n")
	writeScript(t, dir, "good-askpass", "echo 777777\n")
	for prog, wantErr := range map[string]bool{"good-askpass": false, "failing-askpass": true, "missing-askpass": true} {
		a.Env = envMap(map[string]string{"GIT_ASKPASS": prog, "PATH": dir, "GIT_TERMINAL_PROMPT": "no"})
		code, err := a.MFACode(context.Background(), serial, "p")
		if (err != nil) != wantErr || (!wantErr && code != "777777") {
			t.Errorf("%s: code %q err %v", prog, code, err)
		}
	}
}

func TestValidCode(t *testing.T) {
	for s, want := range map[string]bool{"123456": true, "000000": true, "12345": false, "1234567": false, "12ab56": false, "１２３４５６": false, "": false} {
		if ValidMFACode(s) != want {
			t.Errorf("ValidMFACode(%q) != %v", s, want)
		}
	}
}
