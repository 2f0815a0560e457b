package repourl

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gitcodecommit/git-codecommit/internal/names"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		in        string
		want      URL
		canonical string // "" means same as in
	}{
		{"codecommit://demo", URL{Repo: "demo"}, ""},
		{"codecommit://dev@demo", URL{Profile: "dev", Repo: "demo"}, ""},
		{"us-east-1://demo", URL{Region: "us-east-1", Repo: "demo"}, "codecommit::us-east-1://demo"},
		{"us-east-1://dev@demo", URL{Region: "us-east-1", Profile: "dev", Repo: "demo"}, "codecommit::us-east-1://dev@demo"},
		{"codecommit::eu-west-1://demo", URL{Region: "eu-west-1", Repo: "demo"}, ""},
		{"codecommit::us-gov-west-1://my.profile@My_Repo-1.x", URL{Region: "us-gov-west-1", Profile: "my.profile", Repo: "My_Repo-1.x"}, ""},
		{"cn-north-1://demo", URL{Region: "cn-north-1", Repo: "demo"}, "codecommit::cn-north-1://demo"},
		{"ap-southeast-5://demo", URL{Region: "ap-southeast-5", Repo: "demo"}, "codecommit::ap-southeast-5://demo"},
		{"codecommit://a+b=c,d-e_f.g@r", URL{Profile: "a+b=c,d-e_f.g", Repo: "r"}, ""},
		// Issue 13 items 3 and 4: any profile the AWS files accept, the
		// profile being everything before the first "@"; any case for the
		// scheme and the region.
		{"codecommit://p:q@demo", URL{Profile: "p:q", Repo: "demo"}, ""},
		{"codecommit://prof!x@demo", URL{Profile: "prof!x", Repo: "demo"}, ""},
		{"codecommit://org/dev@demo", URL{Profile: "org/dev", Repo: "demo"}, ""},
		{"codecommit://x$y@demo", URL{Profile: "x$y", Repo: "demo"}, ""},
		{"codecommit://dév@demo", URL{Profile: "dév", Repo: "demo"}, ""},
		{"codecommit://de v@demo", URL{Profile: "de v", Repo: "demo"}, ""},
		{"CodeCommit://demo", URL{Repo: "demo"}, "codecommit://demo"},
		{"CODECOMMIT::US-EAST-1://dev@demo", URL{Region: "us-east-1", Profile: "dev", Repo: "demo"}, "codecommit::us-east-1://dev@demo"},
		{"codecommit::US-EAST-1://demo", URL{Region: "us-east-1", Repo: "demo"}, "codecommit::us-east-1://demo"},
		{"Eu-West-1://demo", URL{Region: "eu-west-1", Repo: "demo"}, "codecommit::eu-west-1://demo"},
		{"codecommit://" + strings.Repeat("x", 100), URL{Repo: strings.Repeat("x", 100)}, ""},
		{"codecommit://.hidden", URL{Repo: ".hidden"}, ""},
		{"codecommit://repo.git2", URL{Repo: "repo.git2"}, ""},
		{"codecommit://git", URL{Repo: "git"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			want := tt.canonical
			if want == "" {
				want = tt.in
			}
			if s := got.String(); s != want {
				t.Errorf("String() = %q, want %q", s, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in         string
		reason     string // substring of Error()
		suggestion string // exact Suggestion
		hint       string // substring of Hint(); "" = don't check
	}{
		{"", "the URL is empty", "", "codecommit://[PROFILE@]REPO"},
		{"demo", "missing the codecommit:// scheme", "codecommit://demo", ""},
		{"dev@demo", "missing the codecommit:// scheme", "codecommit://dev@demo", ""},
		{"codecommit:demo", `missing "//" after "codecommit:"`, "codecommit://demo", ""},
		{"codecommit:/demo", `missing "//" after "codecommit:"`, "codecommit://demo", ""},
		{"codecommit::demo", `"codecommit::" must be followed by REGION://`, "codecommit://demo", ""},
		{"codecommit::codecommit://demo", `must be followed by a region, not by "codecommit://"`, "codecommit://demo", ""},
		{"https://github.com/org/repo", `the "https" scheme is not a codecommit URL`, "", "codecommit://[PROFILE@]REPO"},
		{"ssh://git@github.com/org/repo", `the "ssh" scheme is not a codecommit URL`, "", ""},
		{"file:///tmp/repo", `the "file" scheme is not a codecommit URL`, "", ""},
		{"codecommit://", "the repository name is empty", "", ""},
		{"codecommit://dev@", "the repository name is empty", "", ""},
		{"codecommit://de mo", "contains a space at offset 2", "", ""},
		{"codecommit://demo!", "contains '!' at offset 4", "", ""},
		{"codecommit://dé", "contains 'é' at offset 1", "", ""},
		{"codecommit://de\tmo", `contains whitespace '\t' at offset 2`, "", ""},
		{"codecommit://de\x00mo", `contains control character '\x00'`, "", ""},
		{"codecommit://de\xffmo", "invalid UTF-8 byte at offset 2", "", ""},
		{"codecommit://" + strings.Repeat("x", 101), "the repository name is 101 characters long; the limit is 100", "", ""},
		{"codecommit://demo.git", `cannot end in ".git"`, "codecommit://demo", ""},
		{"codecommit::us-east-1://dev@demo.git", `cannot end in ".git"`, "codecommit::us-east-1://dev@demo", ""},
		{"codecommit://.", `"." is not a valid repository name`, "", ""},
		{"codecommit://..", `".." is not a valid repository name`, "", ""},
		{"codecommit://a/b", "a path after the repository name is not allowed", "", ""},
		{"codecommit://dev@a/b/c", "a path after the repository name is not allowed", "", ""},
		{"codecommit://demo/", "a trailing slash after the repository name is not allowed", "codecommit://demo", ""},
		{"codecommit:///demo", `too many slashes after "://"`, "codecommit://demo", ""},
		{"codecommit://demo?x", `a query ("?...") after the repository name is not allowed`, "codecommit://demo", ""},
		{"codecommit://demo#x", `a fragment ("#...") after the repository name is not allowed`, "codecommit://demo", ""},
		{"us-east-1://demo?x=1", "a query", "codecommit::us-east-1://demo", ""},
		{"codecommit://@demo", `the profile before "@" is empty`, "", `drop the "@"`},
		{"codecommit://a@b@demo", `more than one "@"`, "", ""},
		{"codecommit://a\x1b[1m@demo", `the profile name contains control character '\x1b'`, "", ""},
		{"codecommit://a]@demo", `the profile name contains ']'`, "", ""},
		{"codecommit:// a@demo", `the profile name begins or ends with whitespace`, "", ""},
		{"codecommit://dev@a/b?x", "a path after the repository name is not allowed", "", ""},
		{"codecommit://dev@demo/", "a trailing slash", "codecommit://dev@demo", ""},
		{"codecommit://demo:22", `a port or ":" after the repository name is not allowed`, "", ""},
		{"codecommit://dev@demo:443", `a port or ":"`, "", ""},
		{"codecommit::US_EAST://repo", `invalid region "US_EAST"; a region looks like us-east-1`, "", "codecommit::REGION://"},
		{"US_EAST://repo", `invalid region "US_EAST"`, "", ""},
		{"useast1://repo", `invalid region "useast1"`, "", ""},
		{"codecommit::://repo", `the region before "://" is empty`, "", "us-east-1"},
		{"://repo", `the region before "://" is empty`, "", ""},
		{" codecommit://demo", "leading or trailing whitespace", "codecommit://demo", ""},
		{"codecommit://demo\n", "leading or trailing whitespace", "codecommit://demo", ""},

		// Pasted CodeCommit URLs.
		{"codecommit://https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo", "a CodeCommit HTTPS URL", "codecommit::us-east-1://demo", ""},
		{"https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo", "a CodeCommit HTTPS URL", "codecommit::eu-west-1://demo", ""},
		{"HTTPS://GIT-CODECOMMIT.EU-WEST-1.AMAZONAWS.COM/v1/repos/Demo", "a CodeCommit HTTPS URL", "codecommit::eu-west-1://Demo", ""},
		{"https://user-at-123@git-codecommit.eu-west-1.amazonaws.com:443/v1/repos/demo/", "a CodeCommit HTTPS URL", "codecommit::eu-west-1://demo", ""},
		{"https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/demo", "a CodeCommit HTTPS URL", "codecommit::us-gov-west-1://demo", "AWS_USE_FIPS_ENDPOINT=true"},
		{"https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo", "a CodeCommit HTTPS URL", "codecommit::cn-north-1://demo", ""},
		{"https://vpce-0123456789abcdef0-abcdefgh.git-codecommit.us-east-2.vpce.amazonaws.com/v1/repos/demo", "a CodeCommit HTTPS URL", "codecommit::us-east-2://demo",
			"CODE_COMMIT_ENDPOINT=vpce-0123456789abcdef0-abcdefgh.git-codecommit.us-east-2.vpce.amazonaws.com"},
		{"ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-2.amazonaws.com/v1/repos/demo", "a CodeCommit SSH URL", "codecommit::us-east-2://demo", ""},
		{"codecommit://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo", "a CodeCommit host and path", "codecommit::us-east-1://demo", ""},
		{"git-codecommit.us-east-1.amazonaws.com/v1/repos/demo", "a CodeCommit host and path", "codecommit::us-east-1://demo", ""},
		{"codecommit::us-west-2://https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo", "a CodeCommit HTTPS URL", "codecommit::us-east-1://demo", ""},
		{"https://git-codecommit.us-east-1.amazonaws.com/v2/other", "a CodeCommit HTTPS URL", "", "codecommit::us-east-1://REPO"},
		{"codecommit://https://github.com/org/repo", "a URL inside a codecommit URL is not allowed", "", ""},
		{"https://git-codecommit.us-east-1.amazonaws.com.evil.com/v1/repos/demo", `the "https" scheme is not a codecommit URL`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) = %+v, %v; want *Error", tt.in, got, err)
			}
			if got != (URL{}) {
				t.Errorf("Parse(%q) returned non-zero URL %+v with an error", tt.in, got)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "malformed codecommit URL ") || strings.ContainsAny(msg, "\n\r") {
				t.Errorf("Error() = %q: want one line starting \"malformed codecommit URL\"", msg)
			}
			if !strings.Contains(msg, tt.reason) {
				t.Errorf("Error() = %q, want it to contain %q", msg, tt.reason)
			}
			if e.Input != tt.in {
				t.Errorf("Input = %q, want %q", e.Input, tt.in)
			}
			if e.Suggestion != tt.suggestion {
				t.Errorf("Suggestion = %q, want %q", e.Suggestion, tt.suggestion)
			}
			if e.Suggestion != "" {
				if _, err := Parse(e.Suggestion); err != nil {
					t.Errorf("Suggestion %q does not parse: %v", e.Suggestion, err)
				}
				if !strings.Contains(e.Hint(), e.Suggestion) {
					t.Errorf("Hint() = %q, want it to contain the suggestion", e.Hint())
				}
			}
			if e.Hint() == "" || !strings.Contains(e.Hint(), tt.hint) {
				t.Errorf("Hint() = %q, want it to contain %q", e.Hint(), tt.hint)
			}
		})
	}
}

func TestErrorClipsLongInput(t *testing.T) {
	_, err := Parse("codecommit://" + strings.Repeat("é", 1000))
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "…") || !utf8.ValidString(err.Error()) {
		t.Errorf("long input not clipped: %d bytes", len(err.Error()))
	}
}

// A profile in a URL is everything before the first "@", and any name the
// AWS files accept but one holding "@" can be written (issue 13 item 3).
func TestProfileInURL(t *testing.T) {
	for _, ok := range []string{"dev", "p:q", "prof!x", "org/dev", "x$y", "ü", "a b", "a#b", "a?b"} {
		if err := ProfileInURL(ok); err != nil {
			t.Errorf("ProfileInURL(%q) = %v, want ok", ok, err)
		}
		u := URL{Profile: ok, Repo: "demo"}
		if got, err := Parse(u.String()); err != nil || got != u {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", u.String(), got, err, u)
		}
	}
	for _, bad := range []string{"", "user@example.com", "a\nb", "a]b"} {
		if err := ProfileInURL(bad); err == nil {
			t.Errorf("ProfileInURL(%q) = nil, want an error", bad)
		}
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		remote  string
		want    URL
		wantErr string // substring of Error(); "" = success
	}{
		{"named remote", []string{"origin", "codecommit://dev@demo"}, "origin", URL{Profile: "dev", Repo: "demo"}, ""},
		{"region form", []string{"origin", "us-east-1://demo"}, "origin", URL{Region: "us-east-1", Repo: "demo"}, ""},
		{"remote equals url", []string{"codecommit://x", "codecommit://x"}, "codecommit://x", URL{Repo: "x"}, ""},
		{"none", nil, "", URL{}, "invalid git-remote-codecommit arguments: expected 2 (REMOTE URL), got 0"},
		{"one", []string{"origin"}, "", URL{}, "got 1"},
		{"three", []string{"origin", "codecommit://x", "extra"}, "", URL{}, "got 3"},
		{"bad url", []string{"origin", "codecommit://a/b"}, "", URL{}, `malformed codecommit URL "codecommit://a/b": a path after the repository name is not allowed`},
		{"empty url", []string{"origin", ""}, "", URL{}, "the URL is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			remote, u, err := ParseArgs(tt.args)
			if tt.wantErr == "" {
				if err != nil || remote != tt.remote || u != tt.want {
					t.Errorf("ParseArgs(%q) = %q, %+v, %v; want %q, %+v", tt.args, remote, u, err, tt.remote, tt.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseArgs(%q) error = %v, want *Error", tt.args, err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Error() = %q, want it to contain %q", err, tt.wantErr)
			}
			if e.Hint() == "" {
				t.Error("empty Hint()")
			}
		})
	}
	_, _, err := ParseArgs([]string{"origin"})
	var e *Error
	errors.As(err, &e)
	if want := "git-remote-codecommit is run by git: use `git clone codecommit://[PROFILE@]REPO`"; e.Hint() != want {
		t.Errorf("Hint() = %q, want %q", e.Hint(), want)
	}
}

func TestStringCanonical(t *testing.T) {
	tests := []struct {
		u    URL
		want string
	}{
		{URL{Repo: "r"}, "codecommit://r"},
		{URL{Profile: "p", Repo: "r"}, "codecommit://p@r"},
		{URL{Region: "us-east-1", Repo: "r"}, "codecommit::us-east-1://r"},
		{URL{Region: "us-east-1", Profile: "p", Repo: "r"}, "codecommit::us-east-1://p@r"},
	}
	for _, tt := range tests {
		if got := tt.u.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.u, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"codecommit://demo", "codecommit://dev@demo", "us-east-1://demo", "us-gov-west-1://p@r",
		"codecommit::eu-west-1://dev@demo", "codecommit::://repo", "codecommit://@repo",
		"codecommit://a@b@c", "codecommit://p:x@repo", "codecommit://repo:22", "codecommit://a/b",
		"codecommit://a?x", "codecommit://a#x", "codecommit://a/", "codecommit:///a",
		"https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo",
		"codecommit://https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo",
		"codecommit://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo",
		"", " ", "://", "codecommit::", "codecommit:", "CODECOMMIT://x", "x.git", "codecommit://\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := Parse(raw)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T is not *Error", raw, err)
			}
			if strings.ContainsAny(err.Error(), "\n\r") || e.Hint() == "" {
				t.Fatalf("Parse(%q): bad error %q / hint %q", raw, err, e.Hint())
			}
			if e.Suggestion != "" {
				if _, err := Parse(e.Suggestion); err != nil {
					t.Fatalf("Parse(%q): suggestion %q does not parse: %v", raw, e.Suggestion, err)
				}
			}
			return
		}
		if names.Repository(u.Repo) != nil || (u.Profile != "" && ProfileInURL(u.Profile) != nil) {
			t.Fatalf("Parse(%q) = %+v with invalid parts", raw, u)
		}
		s := u.String()
		u2, err := Parse(s)
		if err != nil || u2 != u || u2.String() != s {
			t.Fatalf("round trip %q -> %+v -> %q -> %+v, %v", raw, u, s, u2, err)
		}
	})
}
