package awscreds_test

// End-to-end tests of rotating credentials through the real git and the
// toolset's binaries against the local endpoint: MFA prompts, the cache
// shared with the AWS CLI, IAM Identity Center, `aws login`, web identity
// and credential_process.

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
)

const (
	mfaSerial = "arn:aws:iam::111122223333:mfa/dev"
	mfaCode   = "123456"
	demoRole  = "arn:aws:iam::111122223333:role/demo-role"
)

// newMFAEnv is an environment whose user has an MFA device, whose STS
// accepts only mfaCode and whose demo role requires MFA: profile role-mfa
// works, profile role does not.
func newMFAEnv(t *testing.T, opts ...func(*localserver.Config)) *gittest.Env {
	t.Helper()
	return gittest.New(t, append([]func(*localserver.Config){func(c *localserver.Config) {
		c.Users = []localserver.User{{Name: "dev", MFASerial: mfaSerial}}
		c.MFACode = mfaCode
		c.MFARoles = []string{demoRole}
	}}, opts...)...)
}

// setAskpass installs a GIT_ASKPASS script that answers code and appends
// its prompt to a file; it returns a function counting the prompts so far.
func setAskpass(t *testing.T, e *gittest.Env, code string) (prompts func() []string) {
	t.Helper()
	dir := t.TempDir()
	log := filepath.Join(dir, "prompts")
	script := filepath.Join(dir, "askpass")
	body := "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + log + "'\necho '" + code + "'\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	e.Setenv("GIT_ASKPASS", script)
	return func() []string {
		b, _ := os.ReadFile(log)
		return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")[:strings.Count(string(b), "\n")]
	}
}

func assumeRoleCalls(e *gittest.Env) int { return e.Server.STSCalls()["AssumeRole"] }

// oneLine checks that a failing helper said exactly one line containing
// every want.
func oneLine(t *testing.T, stderr string, want ...string) {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.HasPrefix(l, "git-remote-codecommit: ") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("want one git-remote-codecommit line, stderr:\n%s", stderr)
	}
	for _, w := range want {
		if !strings.Contains(lines[0], w) {
			t.Errorf("message lacks %q:\n%s", w, lines[0])
		}
	}
}

func TestMFAThroughAskpass(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newMFAEnv(t)
	prompts := setAskpass(t, e, mfaCode)
	e.Git("ls-remote", "codecommit://role-mfa@demo").Must()
	if got := prompts(); len(got) != 1 || got[0] != "Enter MFA code for "+mfaSerial+": " {
		t.Errorf("askpass prompts = %q", got)
	}
	if n := assumeRoleCalls(e); n != 1 {
		t.Errorf("AssumeRole calls = %d, want 1", n)
	}
	// The next command uses the cache: no prompt, no STS call.
	e.Git("ls-remote", "codecommit://role-mfa@demo").Must()
	if got := prompts(); len(got) != 1 {
		t.Errorf("second command prompted again: %q", got)
	}
	if n := assumeRoleCalls(e); n != 1 {
		t.Errorf("AssumeRole calls = %d after a cached command, want 1", n)
	}
}

func TestMFAWithoutAnyPrompt(t *testing.T) {
	e := newMFAEnv(t) // GIT_TERMINAL_PROMPT=0, no askpass
	stderr := e.Git("ls-remote", "codecommit://role-mfa@demo").MustFail()
	oneLine(t, stderr, `profile "role-mfa" needs an MFA code for `+mfaSerial, "no terminal or askpass", "git codecommit mfa --profile role-mfa")
	if n := len(e.Server.STSCalls()); n != 0 {
		t.Errorf("STS calls = %v, want none", e.Server.STSCalls())
	}
}

func TestMFAInvalidCodeNeverReachesSTS(t *testing.T) {
	e := newMFAEnv(t)
	for _, code := range []string{"12345", "1234567", "12345a", ""} {
		setAskpass(t, e, code)
		stderr := e.Git("ls-remote", "codecommit://role-mfa@demo").MustFail()
		oneLine(t, stderr, "role-mfa", "6 digits", "git codecommit mfa")
		if strings.Contains(stderr, code+"\n") && code != "" {
			t.Errorf("the code is echoed:\n%s", stderr)
		}
	}
	if n := len(e.Server.STSCalls()); n != 0 {
		t.Errorf("STS calls = %v, want none", e.Server.STSCalls())
	}
}

func TestMFAWrongCode(t *testing.T) {
	e := newMFAEnv(t)
	setAskpass(t, e, "654321")
	stderr := e.Git("ls-remote", "codecommit://role-mfa@demo").MustFail()
	oneLine(t, stderr, `profile "role-mfa"`, "AccessDenied", "MultiFactorAuthentication", "check the MFA code")
	if n := assumeRoleCalls(e); n != 1 {
		t.Errorf("AssumeRole calls = %d, want 1", n)
	}
	if entries, _ := filepath.Glob(filepath.Join(e.Home, ".aws", "cli", "cache", "*.json")); len(entries) != 0 {
		t.Errorf("a failed AssumeRole left cache entries %v", entries)
	}
}

// parallel runs n copies of git args at once and fails on any failure.
func parallel(t *testing.T, e *gittest.Env, n int, args ...string) {
	t.Helper()
	results := make([]gittest.Result, n)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.Git(args...)
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r.Code != 0 || r.Err != nil {
			t.Fatalf("%s: exit %d %v\n%s", strings.Join(args, " "), r.Code, r.Err, r.Stderr)
		}
	}
}

func TestParallelMFAPromptsOnce(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newMFAEnv(t)
	prompts := setAskpass(t, e, mfaCode)
	parallel(t, e, 16, "ls-remote", "codecommit://role-mfa@demo")
	if n := assumeRoleCalls(e); n != 1 {
		t.Errorf("AssumeRole calls = %d, want 1", n)
	}
	if got := prompts(); len(got) != 1 {
		t.Errorf("prompts = %d, want 1: %q", len(got), got)
	}
	parallel(t, e, 16, "ls-remote", "codecommit://role-mfa@demo")
	if n := len(e.Server.STSCalls()); n != 1 || assumeRoleCalls(e) != 1 {
		t.Errorf("warm cache: STS calls %v, want only the first AssumeRole", e.Server.STSCalls())
	}
}

func TestParallelRoleAssumesOnce(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	parallel(t, e, 16, "ls-remote", "codecommit://role@demo")
	if n := assumeRoleCalls(e); n != 1 {
		t.Errorf("AssumeRole calls = %d, want 1", n)
	}
	parallel(t, e, 4, "ls-remote", "codecommit://role@demo")
	if n := assumeRoleCalls(e); n != 1 {
		t.Errorf("warm cache: AssumeRole calls = %d, want 1", n)
	}
}
