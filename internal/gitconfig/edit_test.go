package gitconfig

import (
	"context"
	"slices"
	"testing"
)

// versionOnly is a runner whose git reports version and runs nothing else.
type versionOnly string

func (v versionOnly) Git(_ context.Context, args ...string) (string, error) {
	return "git version " + string(v) + "\n", nil
}

func TestCaselessERE(t *testing.T) {
	if got := caselessERE("true"); got != "^[tT][rR][uU][eE]$" {
		t.Errorf("caselessERE = %q", got)
	}
	if got := caselessERE("a.b"); got != `^[aA]\.[bB]$` {
		t.Errorf("caselessERE = %q", got)
	}
}

// TestLocalArgs: the options clone --https puts on git clone's command line
// are the entries it then writes, helper reset first, with proactiveAuth
// exactly where the version git reports reads it.
func TestLocalArgs(t *testing.T) {
	const url = "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo"
	base := []string{"-c", "credential." + url + ".helper=", "-c", "credential." + url + ".helper=codecommit --profile dev --region eu-west-1", "-c", "credential." + url + ".UseHttpPath=true"}
	for _, c := range []struct {
		version string
		want    []string
	}{
		{"2.30.2", base},
		{"2.45.2", base},
		{"2.46.0", append(append([]string(nil), base...), "-c", "http."+url+".proactiveAuth=basic")},
		{"2.47.3", append(append([]string(nil), base...), "-c", "http."+url+".proactiveAuth=basic")},
	} {
		l, err := NewLocal(context.Background(), versionOnly(c.version), url, Helper{Profile: "dev", Region: "eu-west-1"})
		if err != nil {
			t.Fatal(err)
		}
		if got := l.Args(); !slices.Equal(got, c.want) {
			t.Errorf("git %s: %q\nwant %q", c.version, got, c.want)
		}
	}
	for _, bad := range [][3]string{{"http://x/v1/repos/demo", "dev", ""}, {url, "x y]", ""}, {url, "dev", "nowhere"}, {url + "\n", "dev", ""}} {
		if _, err := NewLocal(context.Background(), versionOnly("2.47.3"), bad[0], Helper{Profile: bad[1], Region: bad[2]}); err == nil {
			t.Errorf("NewLocal(%q) accepted", bad)
		}
	}
}
