package gitconfig

import (
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
)

func TestHelperRoundTrip(t *testing.T) {
	for _, h := range []Helper{
		{},
		{Profile: "dev"},
		{Profile: "dev", Region: "eu-west-1"},
		{Profile: "team@x", Region: "us-east-1", IgnoreHostCheck: true},
		{Profile: "org/dev"},
		{Profile: "it's odd"},
	} {
		v := h.String()
		got, ok := ParseHelper(v)
		if !ok || got != h {
			t.Errorf("ParseHelper(%q) = %+v %v, want %+v", v, got, ok, h)
		}
	}
}

func TestParseHelper(t *testing.T) {
	tests := []struct {
		v    string
		want Helper
		ok   bool
	}{
		{"codecommit", Helper{}, true},
		{"codecommit --profile dev --region eu-west-1", Helper{Profile: "dev", Region: "eu-west-1"}, true},
		{"codecommit --region eu-west-1 --profile dev", Helper{Profile: "dev", Region: "eu-west-1"}, true},
		{"codecommit --profile=dev -region=us-east-1", Helper{Profile: "dev", Region: "us-east-1"}, true},
		{"/usr/local/bin/git-credential-codecommit --profile dev", Helper{Path: "/usr/local/bin/git-credential-codecommit", Profile: "dev"}, true},
		{"git-credential-codecommit --profile dev", Helper{Profile: "dev"}, true},
		{"codecommit --ignore-host-check --region us-east-1", Helper{Region: "us-east-1", IgnoreHostCheck: true}, true},
		{`codecommit --profile "a b"`, Helper{Profile: "a b"}, true},
		{"codecommit --profile", Helper{}, false},
		{"codecommit --frobnicate", Helper{}, false},
		{"codecommit get", Helper{}, false},
		{"!codecommit", Helper{}, false},
		{"store", Helper{}, false},
		{"", Helper{}, false},
		{"manager-core", Helper{}, false},
		{"codecommit --profile 'x", Helper{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseHelper(tt.v)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseHelper(%q) = %+v %v, want %+v %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

// globMatch is git's urlmatch.c match_host: "*" matches one whole label.
func globMatch(pattern, host string) bool {
	p, h := strings.Split(pattern, "."), strings.Split(host, ".")
	if len(p) != len(h) {
		return false
	}
	for i := range p {
		if p[i] != "*" && p[i] != h[i] {
			return false
		}
	}
	return true
}

// Every host form the credential helper answers is covered by exactly one
// pattern, and no pattern covers a host the helper refuses.
func TestURLPatternsCoverEveryHostForm(t *testing.T) {
	hosts := []string{
		"git-codecommit.us-east-1.amazonaws.com",
		"git-codecommit-fips.us-gov-west-1.amazonaws.com",
		"git-codecommit.cn-north-1.amazonaws.com.cn",
		"vpce-0123456789abcdef0-abcdefgh.git-codecommit.eu-west-1.vpce.amazonaws.com",
		"vpce-0123456789abcdef0-abcdefgh-us-east-1a.git-codecommit.us-east-1.vpce.amazonaws.com",
		"vpce-0123456789abcdef0-abcdefgh.git-codecommit-fips.us-east-2.vpce.amazonaws.com",
		"vpce-0123456789abcdef0-abcdefgh.git-codecommit.cn-northwest-1.vpce.amazonaws.com.cn",
	}
	patterns := URLPatterns()
	for _, h := range hosts {
		if _, ok := endpoint.ParseHost(h); !ok {
			t.Fatalf("ParseHost(%q) refuses a host form", h)
		}
		n := 0
		for _, p := range patterns {
			if globMatch(strings.TrimPrefix(p, "https://"), h) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s is matched by %d patterns, want 1: %v", h, n, patterns)
		}
	}
	for _, h := range []string{"example.com", "git-codecommit.evil.example.com", "codecommit.us-east-1.amazonaws.com"} {
		for _, p := range patterns {
			if globMatch(strings.TrimPrefix(p, "https://"), h) {
				t.Errorf("%s matches %s", p, h)
			}
		}
	}
}
