package doctor

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
)

func TestURLMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, url string
		want         bool
	}{
		{"https://git-codecommit.*.amazonaws.com", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/x", true},
		{"https://git-codecommit.*.amazonaws.com", "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/x", false},
		{"https://127.0.0.1:8443", "https://127.0.0.1:8443/v1/repos/x", true},
		{"https://127.0.0.1:8443", "https://127.0.0.1:9443/v1/repos/x", false},
		{"https://host/v1/repos/x", "https://host/v1/repos/x", true},
		{"https://host/v1/repos/x", "https://host/v1/repos/xy", false},
		{"http://host", "https://host/", false},
		{"https://host:443", "https://HOST/a", true},
	} {
		if got := urlMatch(c.pattern, c.url); got != c.want {
			t.Errorf("urlMatch(%q, %q) = %v", c.pattern, c.url, got)
		}
	}
}

func TestNoProxy(t *testing.T) {
	for _, c := range []struct {
		list, host string
		want       bool
	}{
		{"", "a.example.com", false},
		{"*", "a.example.com", true},
		{"example.com", "a.example.com", true},
		{".example.com", "a.example.com", true},
		{"example.com", "notexample.com", false},
		{"localhost, 127.0.0.1:8443", "127.0.0.1", true},
	} {
		if got := noProxy(c.list, c.host); got != c.want {
			t.Errorf("noProxy(%q, %q) = %v", c.list, c.host, got)
		}
	}
}

func TestIAMFix(t *testing.T) {
	res := "arn:aws:codecommit:us-east-1:111122223333:demo"
	if f := iamFix("arn:aws:iam::111122223333:user/team/alice", "codecommit:GitPush", res); !strings.Contains(f, "put-user-policy --user-name alice") || !strings.Contains(f, `"Resource":"`+res+`"`) {
		t.Errorf("user: %s", f)
	}
	if f := iamFix("arn:aws:sts::111122223333:assumed-role/dev-role/sess", "codecommit:GitPull", res); !strings.Contains(f, "put-role-policy --role-name dev-role") {
		t.Errorf("role: %s", f)
	}
	if f := iamFix("arn:aws:iam::111122223333:root", "codecommit:GitPull", res); !strings.HasPrefix(f, "grant codecommit:GitPull") {
		t.Errorf("other: %s", f)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://AKIA:secret@host/v1/repos/x": "https://host/v1/repos/x",
		"https://host/v1/repos/x":             "https://host/v1/repos/x",
	} {
		if got := redactURL(in); got != want || strings.Contains(got, "secret") {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassifyHelper(t *testing.T) {
	for v, want := range map[string]helper{
		"store --file ~/x":                              {name: "store"},
		"/usr/lib/git-core/git-credential-libsecret":    {name: "libsecret"},
		"codecommit --profile p":                        {name: "codecommit", ours: true},
		"/opt/cc/bin/git-credential-codecommit":         {name: "codecommit", ours: true},
		"!'/a b/git-credential-codecommit' --profile p": {name: "codecommit", ours: true},
		"!f() { echo x; }; f":                           {name: "shell command"},
	} {
		got := classifyHelper(v)
		if got.name != want.name || got.ours != want.ours {
			t.Errorf("classifyHelper(%q) = %+v", v, got)
		}
	}
}

func TestDecodeStoreLine(t *testing.T) {
	tests := []struct {
		line string
		want storeEntry
		ok   bool
	}{
		{"https://AKIA1:secret@127.0.0.1%3a46529/v1/repos/demo", storeEntry{protocol: "https", host: "127.0.0.1:46529", path: "v1/repos/demo", user: "AKIA1"}, true},
		{"https://AKIA1%25TOKEN:p%2fq@git-codecommit.us-east-1.amazonaws.com", storeEntry{protocol: "https", host: "git-codecommit.us-east-1.amazonaws.com", user: "AKIA1%TOKEN"}, true},
		{"https://host.example/a/b/", storeEntry{protocol: "https", host: "host.example", path: "a/b"}, true},
		{"not a url", storeEntry{}, false},
		{"https://u:p@bad%zzhost", storeEntry{}, false},
	}
	for _, tt := range tests {
		got, ok := decodeStoreLine(tt.line)
		got.password = ""
		if ok != tt.ok || got != tt.want {
			t.Errorf("decodeStoreLine(%q) = %+v %v, want %+v %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
	withPath := credentialQuery{host: "h:1", path: "v1/repos/demo"}
	hostOnly := credentialQuery{host: "h:1"}
	for _, c := range []struct {
		q    credentialQuery
		e    storeEntry
		want bool
	}{
		{withPath, storeEntry{protocol: "https", host: "h:1", path: "v1/repos/demo"}, true},
		{withPath, storeEntry{protocol: "https", host: "h:1"}, false},
		{withPath, storeEntry{protocol: "https", host: "h:1", path: "v1/repos/other"}, false},
		{hostOnly, storeEntry{protocol: "https", host: "h:1", path: "v1/repos/other"}, true},
		{hostOnly, storeEntry{protocol: "https", host: "h:1"}, true},
		{hostOnly, storeEntry{protocol: "http", host: "h:1"}, false},
		{hostOnly, storeEntry{protocol: "https", host: "h:2"}, false},
	} {
		if got := c.q.matches(c.e); got != c.want {
			t.Errorf("%+v matches %+v = %v, want %v", c.q, c.e, got, c.want)
		}
	}
}

// TestNeverSuggestsItself: doctor's fix for an error whose hint, for other
// commands, ends in running doctor is that hint without it, by
// construction (failure.Diagnose), not by matching the hint's text.
func TestNeverSuggestsItself(t *testing.T) {
	for _, tc := range []struct {
		err      error
		fix      string
		everyone string
	}{
		{&awscreds.CredentialError{Profile: "p", Code: "AccessDenied"}, "check the role's trust policy and the caller's sts:AssumeRole permission", "check the role's trust policy and the caller's sts:AssumeRole permission, or run 'git codecommit doctor'"},
		{&awscreds.CredentialError{Profile: "p", Message: "boom"}, "see the cause above", failure.Diagnosis},
		{&awscreds.APIError{Op: "GetRepository", Message: "boom"}, "see the cause above", failure.Diagnosis},
		{fmt.Errorf("wrapped: %w", &awscreds.CredentialError{Profile: "p", Code: "AccessDenied", MFA: true}), "check the MFA code (use the device's current code, not one already used) and retry; if it was right, check the role's trust policy", ""},
	} {
		r := fromError(tc.err)
		if r.fix != tc.fix || strings.Contains(r.fix, "git codecommit doctor") {
			t.Errorf("%v: doctor's fix %q, want %q", tc.err, r.fix, tc.fix)
		}
		want := tc.everyone
		if want == "" {
			want = tc.fix
		}
		if got := failure.Hint(tc.err); got != want {
			t.Errorf("%v: hint for other commands %q, want %q", tc.err, got, want)
		}
	}
}

// TestNoFixRunsDoctor: no fix doctor writes tells the user to run doctor
// (issue 13 item 11); re-running it with an argument it needs is a usage
// hint, not a fix.
func TestNoFixRunsDoctor(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, "run git codecommit doctor") || strings.Contains(l, "run 'git codecommit doctor") {
				t.Errorf("%s:%d: a fix that runs doctor: %s", f, i+1, strings.TrimSpace(l))
			}
		}
	}
}
