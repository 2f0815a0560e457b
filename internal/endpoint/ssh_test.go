package endpoint

import "testing"

func TestSSHEndpoints(t *testing.T) {
	for _, c := range []struct {
		region, override, want string
		fips                   bool
	}{
		{"eu-west-1", "", "ssh://git-codecommit.eu-west-1.amazonaws.com/v1/repos/r", false},
		{"us-east-1", "", "ssh://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/r", true},
		{"us-east-1", "127.0.0.1:2222", "ssh://127.0.0.1:2222/v1/repos/r", false},
		{"us-east-1", "ssh://vpce.example.com/", "ssh://vpce.example.com/v1/repos/r", false},
		{"us-east-1", "[::1]:2222", "ssh://[::1]:2222/v1/repos/r", false},
		{"us-east-1", "host:22", "ssh://host/v1/repos/r", false},
	} {
		ep, err := ResolveSSH(c.region, c.fips, c.override)
		if err != nil || ep.RepoURL("r") != c.want {
			t.Errorf("ResolveSSH(%q, %v, %q) = %q, %v; want %q", c.region, c.fips, c.override, ep.RepoURL("r"), err, c.want)
		}
	}
	for _, bad := range []string{"user@host", "host:0", "host:99999", "::1", "host/path", ":22"} {
		if _, err := ParseSSHOverride(bad); err == nil {
			t.Errorf("ParseSSHOverride(%q) succeeded", bad)
		}
	}
	if !IsSSHHost("git-codecommit.us-west-2.amazonaws.com", "") || !IsSSHHost("127.0.0.1", "127.0.0.1:2222") || IsSSHHost("example.com", "127.0.0.1:2222") {
		t.Error("IsSSHHost")
	}
}
