package cloneurl_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

func TestURLForms(t *testing.T) {
	e := gittest.New(t)
	local := "https://" + e.Server.Host() + "/v1/repos/demo"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"demo"}, local},
		{[]string{"--https", "codecommit://dev@demo"}, local},
		{[]string{"--grc", "--profile", "dev", "demo"}, "codecommit::us-east-1://dev@demo"},
		{[]string{"--grc", "demo", "--region", "eu-west-1"}, "codecommit::eu-west-1://demo"},
		{[]string{"--grc", "https://git-codecommit.ap-south-1.amazonaws.com/v1/repos/x"}, "codecommit::ap-south-1://x"},
		{[]string{"--ssh", "demo"}, "ssh://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"},
		{[]string{"--ssh", "codecommit::cn-north-1://demo"}, "ssh://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo"},
		{[]string{"--ssh", "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo"}, "ssh://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo"},
		{[]string{local}, local},
	} {
		got := e.Run("git-codecommit", append([]string{"url"}, c.args...)...).Must()
		if got != c.want+"\n" {
			t.Errorf("url %q = %q, want %q", c.args, got, c.want)
		}
	}
	// Without the local endpoint: the public hosts.
	e.Unsetenv("CODE_COMMIT_ENDPOINT")
	if got := e.Run("git-codecommit", "url", "--region", "eu-west-1", "demo").Must(); got != "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo\n" {
		t.Errorf("public https = %q", got)
	}
	e.Setenv("AWS_USE_FIPS_ENDPOINT", "true")
	if got := e.Run("git-codecommit", "url", "demo").Must(); got != "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo\n" {
		t.Errorf("fips https = %q", got)
	}
	for _, args := range [][]string{
		{"--ssh", "--grc", "demo"},
		{"--grc", "--signed", "demo"},
		{"--profile", "prod", "codecommit://dev@demo"},
		{},
		{"a", "b"},
		{"https://github.com/x/y"},
	} {
		r := e.Run("git-codecommit", append([]string{"url"}, args...)...)
		if stderr := r.MustFail(); strings.Count(stderr, "\n") != 1 || r.Stdout != "" {
			t.Errorf("url %q: stdout %q stderr %q", args, r.Stdout, stderr)
		}
	}
}

// TestSignedURL: git accepts the signed URL with no credential helper, and
// the warning says when it expires.
func TestSignedURL(t *testing.T) {
	e := gittest.New(t)
	for _, profile := range []string{"dev", "role"} {
		r := e.Run("git-codecommit", "url", "--signed", "--profile", profile, "demo")
		signed := strings.TrimSuffix(r.Must(), "\n")
		u, err := url.Parse(signed)
		if err != nil || u.User == nil {
			t.Fatalf("not a URL with credentials: %v", err)
		}
		if pw, _ := u.User.Password(); !strings.HasPrefix(pw, time.Now().UTC().Format("2006")) {
			t.Errorf("password does not start with the signing time")
		}
		if profile == "role" && !strings.Contains(u.User.Username(), "%") {
			t.Errorf("role username has no session token")
		}
		if !strings.HasPrefix(r.Stderr, "warning: this URL holds credentials valid until ") || !strings.Contains(r.Stderr, "(15 minutes); do not store or share it") {
			t.Errorf("stderr %q", r.Stderr)
		}
		out := e.Git("-c", "credential.helper=", "ls-remote", signed).Must()
		if strings.Contains(out, "fatal") {
			t.Errorf("ls-remote: %s", out)
		}
	}
	if strings.Contains(e.Trace(), e.Server.Users()[0].SecretAccessKey) {
		t.Error("trace holds the secret key")
	}
	stderr := e.Run("git-codecommit", "url", "--signed", "--profile", "nope", "demo").MustFail()
	if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, `"nope"`) {
		t.Errorf("wrong profile: %q", stderr)
	}
}

// TestGRCNote: turning an https URL on a FIPS or VPC-endpoint host into a
// codecommit:// URL says what the remote needs to reach the same host.
func TestGRCNote(t *testing.T) {
	e := gittest.New(t)
	e.Unsetenv("CODE_COMMIT_ENDPOINT")
	for ref, note := range map[string]string{
		"https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo":                                 "AWS_USE_FIPS_ENDPOINT=true",
		"https://vpce-0123456789abcdef0-abcdefgh.git-codecommit.us-east-1.vpce.amazonaws.com/v1/repos/demo": "CODE_COMMIT_ENDPOINT=vpce-0123456789abcdef0-abcdefgh.git-codecommit.us-east-1.vpce.amazonaws.com",
		"https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo":                                      "",
	} {
		r := e.Run("git-codecommit", "url", "--grc", ref)
		if r.Must() != "codecommit::us-east-1://demo\n" {
			t.Errorf("%s: %q", ref, r.Stdout)
		}
		if note == "" && r.Stderr != "" || note != "" && !strings.Contains(r.Stderr, note) {
			t.Errorf("%s: stderr %q, want a note with %q", ref, r.Stderr, note)
		}
	}
	e.Setenv("AWS_USE_FIPS_ENDPOINT", "true")
	if r := e.Run("git-codecommit", "url", "--grc", "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo"); r.Must() == "" || r.Stderr != "" {
		t.Errorf("FIPS already on: stderr %q", r.Stderr)
	}
}

// TestJSON: url --json parses and keeps schema version 1.
func TestJSON(t *testing.T) {
	e := gittest.New(t)
	keys := []string{"version", "url", "form", "repository", "profile", "region", "host", "signed"}
	v := gittest.JSONSchema(t, e.Run("git-codecommit", "url", "--json", "--grc", "--profile", "dev", "demo").Must(), keys...)
	if v["url"] != "codecommit::us-east-1://dev@demo" || v["form"] != "grc" || v["profile"] != "dev" || v["region"] != "us-east-1" || v["repository"] != "demo" {
		t.Errorf("url --json --grc: %v", v)
	}
	v = gittest.JSONSchema(t, e.Run("git-codecommit", "url", "--signed", "demo", "--json").Must(), append(keys, "expires")...)
	if v["signed"] != true || v["host"] != e.Server.Host() || !strings.HasPrefix(v["url"].(string), "https://") {
		t.Errorf("url --json --signed: %v", v)
	}
}
