package location

import (
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
)

func TestParse(t *testing.T) {
	const override = "https://127.0.0.1:8443/"
	for _, c := range []struct {
		in   string
		want Source
	}{
		{"demo", Source{Repo: "demo"}},
		{"codecommit://dev@demo", Source{Repo: "demo", Profile: "dev"}},
		{"codecommit::eu-west-1://demo", Source{Repo: "demo", Region: "eu-west-1"}},
		{"https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo", Source{Repo: "demo", Region: "eu-west-1", Host: "git-codecommit.eu-west-1.amazonaws.com"}},
		{"https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo/", Source{Repo: "demo", Region: "us-east-1", FIPS: true, Host: "git-codecommit-fips.us-east-1.amazonaws.com"}},
		{"https://AKIA:secret@git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/x.y", Source{Repo: "x.y", Region: "cn-north-1", Host: "git-codecommit.cn-north-1.amazonaws.com.cn"}},
		{"ssh://APKAEXAMPLE@git-codecommit.us-west-2.amazonaws.com/v1/repos/demo", Source{Repo: "demo", Region: "us-west-2"}},
		{"https://127.0.0.1:8443/v1/repos/demo", Source{Repo: "demo", Host: "127.0.0.1:8443"}},
	} {
		got, err := Parse(c.in, override, "")
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{
		"", "demo.git", "two words",
		"https://github.com/x/y",
		"https://127.0.0.2:8443/v1/repos/demo",
		"https://git-codecommit.us-east-1.amazonaws.com/demo",
		"https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo?x=1",
		"https://AKIA:topsecret@example.com/v1/repos/demo",
		"codecommit://",
	} {
		_, err := Parse(in, override, "")
		if err == nil {
			t.Errorf("Parse(%q) succeeded", in)
			continue
		}
		if msg := failure.Message(err); strings.Contains(msg, "topsecret") {
			t.Errorf("error repeats the password: %s", msg)
		}
	}
}

func TestWith(t *testing.T) {
	s := Source{Repo: "demo", Profile: "dev", Region: "eu-west-1"}
	if got, err := s.With("dev", "eu-west-1"); err != nil || got != s {
		t.Errorf("same flags: %+v %v", got, err)
	}
	if _, err := s.With("prod", ""); err == nil || failure.Code(err) != failure.Usage {
		t.Errorf("contradicting --profile: %v", err)
	}
	if _, err := s.With("", "us-east-1"); err == nil {
		t.Error("contradicting --region accepted")
	}
	if got, _ := (Source{Repo: "x"}).With("p", "us-east-2"); got.Profile != "p" || got.Region != "us-east-2" {
		t.Errorf("flags not applied: %+v", got)
	}
}

// TestParseOverrideAsOnTheWire: an https reference to the
// CODE_COMMIT_ENDPOINT host is one whether either side spells the default
// port or capitals (endpoint.IsOverride); the comparison here once took
// "host:443" for another host than "host".
func TestParseOverrideAsOnTheWire(t *testing.T) {
	for _, c := range [][2]string{
		{"https://vpce.example.com:443/v1/repos/demo", "vpce.example.com"},
		{"https://vpce.example.com/v1/repos/demo", "vpce.example.com:443"},
		{"https://VPCE.example.com/v1/repos/demo", "https://vpce.example.com/"},
	} {
		s, err := Parse(c[0], c[1], "")
		if err != nil || s.Repo != "demo" || s.Host != "vpce.example.com" && s.Host != "VPCE.example.com" {
			t.Errorf("Parse(%q) with CODE_COMMIT_ENDPOINT=%q = %+v, %v", c[0], c[1], s, err)
		}
	}
}
