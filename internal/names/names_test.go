package names

import (
	"errors"
	"strings"
	"testing"
)

// Profile names the AWS files accept (issue 13 item 3): every one of these
// is usable with the AWS CLI's --profile and with AWS's Python helper.
func TestProfile(t *testing.T) {
	for _, ok := range []string{
		"default", "dev", "Org.Admin+x=y,z_1-2", "p:q", "prof!x", "user@example.com", "org/dev", "x$y",
		"ü", "日本", "a b", "a#b", "a;b", "a?b", "a'b", `a"b`, "a`b", "a\\b", "-x",
	} {
		if err := Profile(ok); err != nil {
			t.Errorf("Profile(%q) = %v, want ok", ok, err)
		}
	}
	for _, bad := range []string{"", " a", "a ", "\ta", "a\nb", "a\x1bb", "a\x7fb", "a\u0085b", "a[b", "a]b", "a\xffb"} {
		err := Profile(bad)
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindProfile {
			t.Errorf("Profile(%q) = %v, want a profile *Error", bad, err)
			continue
		}
		if strings.ContainsAny(err.Error(), "\n\r\x1b\x7f") {
			t.Errorf("Profile(%q): raw control character in %q", bad, err)
		}
	}
}

// Regions in any case (issue 13 item 4), canonical in lowercase; one shape
// for every caller.
func TestRegion(t *testing.T) {
	for in, want := range map[string]string{
		"us-east-1": "us-east-1", "US-EAST-1": "us-east-1", "Eu-West-2": "eu-west-2",
		"us-gov-west-1": "us-gov-west-1", "cn-north-1": "cn-north-1", "eu-isoe-west-1": "eu-isoe-west-1",
		"ap-southeast-5": "ap-southeast-5",
	} {
		got, err := Region(in)
		if err != nil || got != want {
			t.Errorf("Region(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "us", "useast1", "US_EAST", "us-east", "us-east-", "-us-east-1", "us--east-1", "u-east-1", "use-east-1",
		"us-east1-1", "us-east-1a", "us-east-1 ", "us-éast-1", "us-east-\x00"} {
		if got, err := Region(bad); err == nil {
			t.Errorf("Region(%q) = %q, want an error", bad, got)
		}
	}
}

func TestRepository(t *testing.T) {
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"demo", true}, {"a", true}, {"A.b_c-d9", true}, {strings.Repeat("r", 100), true},
		{"x.gitx", true}, {"x.GIT", true},
		{"", false}, {strings.Repeat("r", 101), false}, {"a/b", false}, {"a b", false},
		{"a@b", false}, {"a:b", false}, {"x.git", false}, {".git", false}, {".", false}, {"..", false},
		{"ré", false}, {"a%2Fb", false},
	} {
		if err := Repository(tt.name); (err == nil) != tt.ok {
			t.Errorf("Repository(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

// The host as on the wire (issue 13 item 5): curl drops the default port.
func TestWireHost(t *testing.T) {
	for in, want := range map[string]string{
		"git-codecommit.us-east-1.amazonaws.com:443": "git-codecommit.us-east-1.amazonaws.com",
		"git-codecommit.us-east-1.amazonaws.com":     "git-codecommit.us-east-1.amazonaws.com",
		"localhost:8443":                             "localhost:8443",
		"127.0.0.1:443":                              "127.0.0.1",
		"[::1]:443":                                  "[::1]",
		"[::1]:4430":                                 "[::1]:4430",
		"::443":                                      "::443",
		":443":                                       ":443",
		"host:4431":                                  "host:4431",
	} {
		if got := WireHost(in); got != want {
			t.Errorf("WireHost(%q) = %q, want %q", in, got, want)
		}
	}
}
