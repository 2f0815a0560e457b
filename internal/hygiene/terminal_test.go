package hygiene_test

import (
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// hostile is a profile name that clears the screen and retitles the
// terminal when printed raw.
const hostile = "x\x1b[2J\x1b]0;pwned\a"

// rawControl reports the first control character (other than the newlines
// ending lines) in s, or "".
func rawControl(s string) string {
	for _, r := range s {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r < 0xa0) {
			return string(r)
		}
	}
	return ""
}

// TestHostileNamesReachTheTerminalEscaped: a profile name from AWS_PROFILE,
// a flag, a URL or the AWS files, and a region from a profile, reach standard
// error escaped in every error and trace of the three programs.
func TestHostileNamesReachTheTerminalEscaped(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	e := gittest.New(t)
	e.AppendAWSConfig("[profile evil]\nregion = us-east-1\x1b[2J\n\n[profile chain]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = " + hostile + "\n\n[profile mfauser]\nmfa_serial = arn:aws:iam::123456789012:mfa/u\x1b[2J\n")
	host := e.Server.Host()
	cred := "protocol=https\nhost=" + host + "\npath=v1/repos/demo\n\n"

	type run struct {
		name  string
		env   map[string]string
		stdin string
		args  []string
		quiet bool // the message need not quote the name
	}
	runs := []run{
		{"remote helper, AWS_PROFILE", map[string]string{"AWS_PROFILE": hostile}, "", []string{"git", "ls-remote", "codecommit://demo"}, false},
		{"remote helper, URL profile", nil, "", []string{"git", "ls-remote", "codecommit://" + hostile + "@demo"}, false},
		{"remote helper, profile region", nil, "", []string{"git", "ls-remote", "codecommit://evil@demo"}, false},
		{"remote helper, source_profile", nil, "", []string{"git", "ls-remote", "codecommit://chain@demo"}, true},
		{"remote helper, trace on stderr", map[string]string{"AWS_PROFILE": hostile, "GIT_TRACE_CODECOMMIT": "1"}, "", []string{"git", "ls-remote", "codecommit://demo"}, false},
		{"credential helper, AWS_PROFILE", map[string]string{"AWS_PROFILE": hostile}, cred, []string{"git-credential-codecommit", "get"}, false},
		{"credential helper, --profile", nil, cred, []string{"git-credential-codecommit", "--profile", hostile, "get"}, false},
		{"credential helper, source_profile", nil, cred, []string{"git-credential-codecommit", "--profile", "chain", "get"}, true},
		{"credential helper, trace", map[string]string{"AWS_PROFILE": hostile, "GIT_TRACE_CODECOMMIT": "2"}, cred, []string{"git-credential-codecommit", "get"}, false},
		{"url, AWS_PROFILE", map[string]string{"AWS_PROFILE": hostile}, "", []string{"git-codecommit", "url", "demo"}, false},
		{"url, --profile", nil, "", []string{"git-codecommit", "url", "--profile", hostile, "demo"}, false},
		{"url, profile region", nil, "", []string{"git-codecommit", "url", "--profile", "evil", "demo"}, false},
		{"clone, AWS_PROFILE", map[string]string{"AWS_PROFILE": hostile}, "", []string{"git-codecommit", "clone", "demo"}, false},
		{"clone --https, --profile", nil, "", []string{"git-codecommit", "clone", "--https", "--profile", hostile, "demo"}, false},
		{"list, AWS_PROFILE", map[string]string{"AWS_PROFILE": hostile}, "", []string{"git-codecommit", "list"}, false},
		{"info, --profile", nil, "", []string{"git-codecommit", "info", "--profile", hostile, "demo"}, false},
		{"create, source_profile", nil, "", []string{"git-codecommit", "create", "--profile", "chain", "x"}, true},
		{"delete, AWS_PROFILE", map[string]string{"AWS_PROFILE": hostile}, "", []string{"git-codecommit", "delete", "--yes", "demo"}, false},
		{"mfa, AWS_PROFILE", map[string]string{"AWS_PROFILE": hostile}, "", []string{"git-codecommit", "mfa", "--code", "123456"}, false},
		{"mfa, --target-profile", nil, "", []string{"git-codecommit", "mfa", "--profile", "dev", "--code", "123456", "--target-profile", hostile}, false},
		{"mfa, serial", nil, "", []string{"git-codecommit", "mfa", "--profile", "mfauser"}, false},
		{"setup, --profile", nil, "", []string{"git-codecommit", "setup", "--global", "--profile", hostile}, true},
		{"doctor, AWS_PROFILE", map[string]string{"AWS_PROFILE": hostile}, "", []string{"git-codecommit", "doctor", "codecommit://demo"}, false},
		{"doctor, URL profile", nil, "", []string{"git-codecommit", "doctor", "codecommit://" + hostile + "@demo"}, false},
		{"unknown command", nil, "", []string{"git-codecommit", hostile}, false},
		{"trace value", map[string]string{"GIT_TRACE_CODECOMMIT": hostile}, "", []string{"git-codecommit", "url", "--profile", hostile, "demo"}, false},
	}
	for _, r := range runs {
		saved := append([]string(nil), e.Environ...)
		for k, v := range r.env {
			e.Setenv(k, v)
		}
		res := e.RunIn(e.Work, r.stdin, r.args[0], r.args[1:]...)
		e.Environ = saved
		if res.Code == 0 {
			t.Errorf("%s: succeeded, want a failure\nstdout: %q\nstderr: %q", r.name, res.Stdout, res.Stderr)
			continue
		}
		for _, out := range []struct{ name, text string }{{"stderr", res.Stderr}, {"stdout", res.Stdout}} {
			if c := rawControl(out.text); c != "" {
				t.Errorf("%s: %q reached %s raw:\n%q", r.name, c, out.name, out.text)
			}
		}
		if !r.quiet && !strings.Contains(res.Stderr, `\x1b`) && !strings.Contains(res.Stdout, `\x1b`) {
			t.Errorf("%s: the hostile name is not shown (escaped):\nstdout: %q\nstderr: %q", r.name, res.Stdout, res.Stderr)
		}
	}
}
