package mfa_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
)

const (
	serial = "arn:aws:iam::111122223333:mfa/dev"
	code   = "123456"
)

func newEnv(t *testing.T) *gittest.Env {
	t.Helper()
	return gittest.New(t, func(c *localserver.Config) {
		c.Users = []localserver.User{{Name: "dev", MFASerial: serial}}
		c.MFACode = code
		c.MFARoles = []string{"arn:aws:iam::111122223333:role/demo-role"}
	})
}

// writeCredentials replaces the credentials file with one full of things
// that must survive: comments, other profiles, odd spacing, no final
// newline.
func writeCredentials(t *testing.T, e *gittest.Env) (path, content string) {
	t.Helper()
	u := e.Server.Users()[0]
	content = "# personal keys: do not share\n" +
		"[default]\naws_access_key_id = " + u.AccessKeyID + "\naws_secret_access_key = " + u.SecretAccessKey + "\n\n" +
		"; the build account\n[build]\naws_access_key_id=AKIAEXAMPLEBUILD0001\naws_secret_access_key   =  buildSecret ; not a comment\n\n" +
		"[dev]\naws_access_key_id = " + u.AccessKeyID + "\naws_secret_access_key = " + u.SecretAccessKey + "\n# trailing comment"
	path = filepath.Join(e.Home, ".aws", "credentials")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, content
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSessionTokenProfile(t *testing.T) {
	e := newEnv(t)
	path, before := writeCredentials(t, e)
	out := e.Run("git", "codecommit", "mfa", "--profile", "dev", "--serial", serial, "--code", code).Must()
	for _, want := range []string{"session credentials for profile dev-mfa written to " + path, "(expire 20", "use: git clone codecommit://dev-mfa@REPOSITORY"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := e.Server.STSCalls()["GetSessionToken"]; n != 1 {
		t.Errorf("GetSessionToken calls = %d, want 1", n)
	}
	after := read(t, path)
	if !strings.HasPrefix(after, before+"\n") {
		t.Fatalf("the existing content changed:\n%s", after)
	}
	added := strings.TrimPrefix(after, before+"\n")
	lines := strings.Split(strings.TrimSuffix(added, "\n"), "\n")
	if len(lines) != 6 || lines[0] != "" || lines[1] != "[dev-mfa]" || !strings.HasPrefix(lines[2], "aws_access_key_id = ASIA") ||
		!strings.HasPrefix(lines[3], "aws_secret_access_key = ") || !strings.HasPrefix(lines[4], "aws_session_token = ") || !strings.HasPrefix(lines[5], "expiration = 20") {
		t.Errorf("added section:\n%s", added)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v %v, want 0600", fi.Mode().Perm(), err)
	}

	// The new profile works as printed: mfa gave it the source profile's
	// region, and its keys resolve without the SDK (issue 13 item 9).
	if cfg := read(t, filepath.Join(e.Home, ".aws", "config")); !strings.Contains(cfg, "[profile dev-mfa]\nregion = us-east-1") {
		t.Errorf("config lacks the region of dev-mfa:\n%s", cfg)
	}
	e.Git("ls-remote", "codecommit://dev-mfa@demo").Must()
	if tr := e.Trace(); !strings.Contains(tr, "source session credentials in the shared files") || strings.Contains(tr, "resolving through the AWS SDK") {
		t.Errorf("trace does not show the session credentials being used without the SDK:\n%s", tr)
	}

	// Again (a new session): the section is updated in place.
	e.Run("git", "codecommit", "mfa", "--profile", "dev", "--serial", serial, "--code", code).Must()
	again := read(t, path)
	if !strings.HasPrefix(again, before+"\n") || strings.Count(again, "[dev-mfa]") != 1 || again == after {
		t.Errorf("second run:\n%s", again)
	}
}

func TestProfileSerialTargetAndAskpass(t *testing.T) {
	e := newEnv(t)
	e.AppendAWSConfig("[profile dev]\nmfa_serial = " + serial)
	dir := t.TempDir()
	askpass := filepath.Join(dir, "askpass")
	if err := os.WriteFile(askpass, []byte("#!/bin/sh\necho "+code+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	e.Setenv("GIT_ASKPASS", askpass)
	out := e.Run("git", "codecommit", "mfa", "--profile", "dev", "--target-profile", "work", "--duration", "1h").Must()
	if !strings.Contains(out, "codecommit://work@REPOSITORY") && !strings.Contains(out, "codecommit::us-east-1://work@REPOSITORY") {
		t.Errorf("output:\n%s", out)
	}
	if !strings.Contains(read(t, filepath.Join(e.Home, ".aws", "credentials")), "[work]\naws_access_key_id = ASIA") {
		t.Errorf("profile work not written")
	}
}

func TestRoleProfileFillsTheSharedCache(t *testing.T) {
	e := newEnv(t)
	out := e.Run("git", "codecommit", "mfa", "--profile", "role-mfa", "--code", code).Must()
	if !strings.Contains(out, "cached in ~/.aws/cli/cache") || !strings.Contains(out, "codecommit://role-mfa@REPOSITORY") {
		t.Errorf("output:\n%s", out)
	}
	// No askpass and no terminal: the cache answers.
	e.Git("ls-remote", "codecommit://role-mfa@demo").Must()
	if n := e.Server.STSCalls()["AssumeRole"]; n != 1 {
		t.Errorf("AssumeRole calls = %d, want 1", n)
	}
}

func TestErrors(t *testing.T) {
	e := newEnv(t)
	path, before := writeCredentials(t, e)
	for _, tc := range []struct {
		args []string
		exit int
		want []string
	}{
		{[]string{"--profile", "dev", "--serial", serial, "--code", "12345"}, 2, []string{"--code must be 6 digits"}},
		{[]string{"--profile", "dev", "--code", code}, 2, []string{"profile dev has no mfa_serial", "--serial"}},
		{[]string{"--profile", "dev", "--serial", serial, "--code", code, "--target-profile", "dev"}, 2, []string{"would overwrite the long-term keys"}},
		{[]string{"--profile", "dev", "--serial", serial, "--code", code, "--duration", "1m"}, 2, []string{"--duration 1m0s is out of range"}},
		{[]string{"--profile", "dev", "--serial", serial}, 1, []string{`profile "dev" needs an MFA code`, "no terminal or askpass"}},
		{[]string{"--profile", "nope", "--serial", serial, "--code", code}, 1, []string{`profile "nope" not found`}},
		{[]string{"--profile", "dev", "--serial", serial, "--code", "654321"}, 1, []string{"AccessDenied", "check the MFA code"}},
	} {
		r := e.Run("git", append([]string{"codecommit", "mfa"}, tc.args...)...)
		if r.Code != tc.exit {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, r.Code, tc.exit, r.Stderr)
			continue
		}
		lines := strings.Split(strings.TrimSpace(r.Stderr), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "git-codecommit: ") {
			t.Errorf("%v: want one line:\n%s", tc.args, r.Stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, r.Stderr)
			}
		}
	}
	if n := e.Server.STSCalls()["GetSessionToken"]; n != 1 {
		t.Errorf("GetSessionToken calls = %d, want 1 (only the wrong code)", n)
	}
	if read(t, path) != before {
		t.Errorf("a failed command changed the credentials file")
	}
}

// TestTargetProfileIsNeverLost: --target-profile refuses, in one line and
// before any STS call, a profile holding long-term keys or settings mfa did
// not write; its own profiles (session token and expiration line) are
// replaced freely; --force replaces any, keeping the file as it was in a
// backup.
func TestTargetProfileIsNeverLost(t *testing.T) {
	e := newEnv(t)
	path, _ := writeCredentials(t, e)
	e.AppendAWSCredentials("[hand]\nregion = eu-west-1\naws_session_token = x")
	before := read(t, path)
	mfa := func(target string, extra ...string) gittest.Result {
		return e.Run("git", append([]string{"codecommit", "mfa", "--profile", "dev", "--serial", serial, "--code", code, "--target-profile", target}, extra...)...)
	}
	for _, tc := range []struct{ target, want string }{
		{"build", "profile build in " + path + " holds long-term access keys; refusing to replace it"},
		{"hand", "holds settings this command did not write (no expiration line)"},
	} {
		stderr := mfa(tc.target).MustFail()
		if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 1 || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "--force") {
			t.Errorf("%s: want one line saying %q and naming --force:\n%s", tc.target, tc.want, stderr)
		}
	}
	if n := e.Server.STSCalls()["GetSessionToken"]; n != 0 {
		t.Errorf("GetSessionToken calls = %d before any write, want 0", n)
	}
	if read(t, path) != before {
		t.Fatalf("a refused command changed the credentials file:\n%s", read(t, path))
	}

	// Its own profile: written, then replaced without --force.
	mfa("mine").Must()
	mfa("mine").Must()
	if got := read(t, path); strings.Count(got, "[mine]") != 1 || !strings.HasPrefix(got, before) {
		t.Fatalf("rewriting its own profile:\n%s", got)
	}

	// --force: replaced, and the file as it was is kept.
	withMine := read(t, path)
	r := mfa("build", "--force")
	r.Must()
	if !strings.Contains(r.Stderr, path+".bak") {
		t.Errorf("--force does not name the backup:\n%s", r.Stderr)
	}
	if got := read(t, path+".bak"); got != withMine {
		t.Errorf("backup:\n%s\nwant:\n%s", got, withMine)
	}
	if fi, err := os.Stat(path + ".bak"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode: %v %v", fi, err)
	}
	if got := read(t, path); strings.Contains(got, "AKIAEXAMPLEBUILD0001") || !strings.Contains(got, "[build]\naws_access_key_id=ASIA") {
		t.Errorf("--force did not replace build:\n%s", got)
	}
}

// TestJSON: mfa --json parses and keeps schema version 1, for a session
// token profile and for a role profile.
func TestJSON(t *testing.T) {
	e := newEnv(t)
	path, _ := writeCredentials(t, e)
	keys := []string{"version", "kind", "profile", "target_profile", "role_arn", "file", "expires", "clone_url"}
	v := gittest.JSONSchema(t, e.Run("git", "codecommit", "mfa", "--json", "--profile", "dev", "--serial", serial, "--code", code).Must(), keys...)
	if v["kind"] != "session" || v["profile"] != "dev" || v["target_profile"] != "dev-mfa" || v["file"] != path || v["clone_url"] != "codecommit://dev-mfa@REPOSITORY" || v["expires"] == "" {
		t.Errorf("session --json: %v", v)
	}
	v = gittest.JSONSchema(t, e.Run("git", "codecommit", "mfa", "--profile", "role-mfa", "--code", code, "--json").Must(), keys...)
	if v["kind"] != "role" || v["profile"] != "role-mfa" || v["role_arn"] == "" || v["clone_url"] != "codecommit://role-mfa@REPOSITORY" {
		t.Errorf("role --json: %v", v)
	}
}

// TestExpiredSessionProfile: issue 13 item 9. Once the expiration line of
// a profile mfa wrote has passed, git stops before any request, through
// either helper, with the command that renews it.
func TestExpiredSessionProfile(t *testing.T) {
	e := newEnv(t)
	path, _ := writeCredentials(t, e)
	e.Run("git", "codecommit", "mfa", "--profile", "dev", "--serial", serial, "--code", code).Must()
	text := read(t, path)
	i := strings.Index(text, "expiration = ")
	if i < 0 {
		t.Fatalf("no expiration line:\n%s", text)
	}
	j := strings.IndexByte(text[i:], '\n')
	if j < 0 {
		j = len(text) - i
	}
	text = text[:i] + "expiration = 2001-02-03T04:05:06Z" + text[i+j:]
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	want := `the session keys in profile "dev-mfa" expired at 2001-02-03T04:05:06Z`
	stderr := e.Git("ls-remote", "codecommit://dev-mfa@demo").MustFail()
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "git codecommit mfa --profile dev") {
		t.Errorf("codecommit://: %s", stderr)
	}
	r := e.RunIn(e.Work, "protocol=https\nhost="+e.Server.Host()+"\npath=v1/repos/demo\n", "git-credential-codecommit", "--profile", "dev-mfa", "get")
	if r.Code == 0 || !strings.Contains(r.Stderr, want) || !strings.Contains(r.Stdout, "quit=1") {
		t.Errorf("credential helper: exit %d, stdout %q, stderr %s", r.Code, r.Stdout, r.Stderr)
	}
}
