package target_test

import (
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/names"
	"github.com/gitcodecommit/git-codecommit/internal/repourl"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
	"github.com/gitcodecommit/git-codecommit/internal/target"
)

// TestAWSHelperCases: the cases of AWS's Python git-remote-codecommit's own
// unit tests (test/context_test.py, test/git_url_test.py), as data: the same
// acceptance, profile, region, host and signature. Its mocked session gives
// the profile's region; here that is the profile region handed to
// target.Region.
func TestAWSHelperCases(t *testing.T) {
	noEnv := func(string) string { return "" }
	for _, tc := range []struct {
		url, sessionRegion string
		ok                 bool
		repo, profile      string
		region             string
		host               string
	}{
		{"codecommit://test_repo", "us-west-2", true, "test_repo", "default", "us-west-2", "git-codecommit.us-west-2.amazonaws.com"},
		{"codecommit://profile@test_repo", "us-west-2", true, "test_repo", "profile", "us-west-2", "git-codecommit.us-west-2.amazonaws.com"},
		{"ca-central-1://test_repo", "", true, "test_repo", "default", "ca-central-1", "git-codecommit.ca-central-1.amazonaws.com"},
		{"ca-central-1://profile@test_repo", "", true, "test_repo", "profile", "ca-central-1", "git-codecommit.ca-central-1.amazonaws.com"},
		{"codecommit://test_repo", "", true, "test_repo", "default", "", ""}, // RegionNotFound
		{url: ""}, {url: "boom"}, {url: "codecommit:/test_repo"}, {url: "codecommit//test_repo"}, {url: "://test_repo"},
		{url: "codecommit://"}, {url: "codecommit:://test_repo"}, {url: "codecommit:///test_repo"},
	} {
		u, err := repourl.Parse(tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("%q: %v, want ok=%v", tc.url, err, tc.ok)
			continue
		}
		if !tc.ok {
			continue
		}
		profile, _ := target.Profile(u.Profile, noEnv)
		region, rs := target.Region(u.Region, noEnv, tc.sessionRegion)
		if u.Repo != tc.repo || profile != tc.profile || region != tc.region {
			t.Errorf("%q: repo %q, profile %q, region %q; want %q, %q, %q", tc.url, u.Repo, profile, region, tc.repo, tc.profile, tc.region)
		}
		if tc.region == "" {
			if rs != target.RegionNone {
				t.Errorf("%q: region source %v, want none", tc.url, rs)
			}
			continue
		}
		ep, err := target.Target{Region: region}.Endpoint()
		if err != nil || ep.Host != tc.host {
			t.Errorf("%q: host %q, %v; want %q", tc.url, ep.Host, err, tc.host)
		}
	}

	// git_url_test.py: the signature, with and without CODE_COMMIT_ENDPOINT.
	at := time.Date(2017, 12, 24, 11, 53, 20, 0, time.UTC)
	creds := sigv4.Credentials{AccessKeyID: "access", SecretAccessKey: "secret"}
	for override, want := range map[string]string{
		"":                     "20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a",
		"land.called.honahlee": "20171224T115320Za14a37a53035bbceb6e1748247b143124fe7326cdffd3d418236a592ce6158a0",
	} {
		tg, err := target.Resolve(target.Ref{Region: "us-west-2"}, func(k string) string {
			switch k {
			case "CODE_COMMIT_ENDPOINT":
				return override
			case "HOME":
				return "/nonexistent"
			}
			return ""
		})
		if err != nil {
			t.Fatal(err)
		}
		ep, err := tg.Endpoint()
		if err != nil {
			t.Fatal(err)
		}
		s, _ := sigv4.SignRepo(creds, time.Time{}, "us-west-2", ep.Host, "test_repo", at)
		if s.Password != want || s.Username != "access" {
			t.Errorf("override %q: %s:%s, want access:%s", override, s.Username, s.Password, want)
		}
	}
	s, _ := sigv4.SignRepo(sigv4.Credentials{AccessKeyID: "access", SecretAccessKey: "secret", SessionToken: "token"}, time.Time{}, "us-west-2", "git-codecommit.us-west-2.amazonaws.com", "test_repo", at)
	if s.Username != "access%token" || sigv4.QuoteUsername(s.Username) != "access%25token" {
		t.Errorf("username with token %q", s.Username)
	}
}

// TestAWSCLIHelperHosts: the hosts of the AWS CLI credential helper's unit
// tests (tests/unit/customizations/test_codecommit.py), as data: which it
// answers and the region it signs for.
func TestAWSCLIHelperHosts(t *testing.T) {
	for host, region := range map[string]string{
		"git-codecommit.us-east-1.amazonaws.com":                                                      "us-east-1",
		"git-codecommit.us-east-1.amazonaws.com:443":                                                  "us-east-1",
		"git-codecommit-fips.us-east-1.amazonaws.com":                                                 "us-east-1",
		"vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com":                 "us-east-1",
		"vpce-0b47ea360adebf88a-jkl88hez-us-east-1a.git-codecommit.us-east-1.vpce.amazonaws.com":      "us-east-1",
		"vpce-0b47ea360adebf88a-jkl88hez.git-codecommit-fips.us-east-1.vpce.amazonaws.com":            "us-east-1",
		"vpce-0b47ea360adebf88a-jkl88hez-us-west-2b.git-codecommit-fips.us-east-1.vpce.amazonaws.com": "us-east-1",
		"mydomain.com": "",
		// The AWS CLI answers any *.amazonaws.com host with the session's
		// region; this one names no region and is no CodeCommit host: a
		// deliberate difference (README).
		"git-codecommit.amazonaws.com": "",
	} {
		info, ok := endpoint.ParseHost(names.WireHost(host))
		if ok != (region != "") || info.Region != region {
			t.Errorf("%s: %+v, %v; want region %q", host, info, ok, region)
		}
	}
	if got, want := sigv4.CanonicalRequest("/v1/repos/myrepo", names.WireHost("git-codecommit.us-east-1.amazonaws.com:443")),
		"GIT\n/v1/repos/myrepo\n\nhost:git-codecommit.us-east-1.amazonaws.com\n\nhost\n"; got != want {
		t.Errorf("canonical request %q, want %q", got, want)
	}
}
