package logout_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

func cacheFiles(t *testing.T, e *gittest.Env) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(e.Home, ".aws", "cli", "cache", "*.json"))
	return m
}

// TestLogoutThenFreshAssumeRole: logout removes the cached session of the
// profile's role and nothing else, so the next git command assumes the role
// again; mfa --refresh does the same before assuming it.
func TestLogoutThenFreshAssumeRole(t *testing.T) {
	e := gittest.New(t)
	assumes := func() int { return e.Server.STSCalls()["AssumeRole"] }
	e.Git("ls-remote", "codecommit://role@demo").Must()
	e.Git("ls-remote", "codecommit://role@demo").Must()
	if n := assumes(); n != 1 {
		t.Fatalf("AssumeRole calls = %d before logout, want 1", n)
	}
	other := filepath.Join(e.Home, ".aws", "cli", "cache", "0123456789abcdef0123456789abcdef01234567.json")
	if err := os.WriteFile(other, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := e.Run("git-codecommit", "logout", "--profile", "role").Must()
	if !strings.Contains(out, "removed ") || !strings.Contains(out, "logged out profile role") {
		t.Errorf("logout output:\n%s", out)
	}
	if got := cacheFiles(t, e); len(got) != 1 || got[0] != other {
		t.Fatalf("cache after logout: %v, want only %s", got, other)
	}
	e.Git("ls-remote", "codecommit://role@demo").Must()
	if n := assumes(); n != 2 {
		t.Fatalf("AssumeRole calls = %d after logout, want 2", n)
	}
	if out := e.Run("git-codecommit", "logout", "--profile", "dev").Must(); !strings.Contains(out, "assumes no role") {
		t.Errorf("logout of a key profile:\n%s", out)
	}

	e.Run("git-codecommit", "mfa", "--profile", "role").Must()
	if n := assumes(); n != 2 {
		t.Fatalf("mfa with a fresh cache: AssumeRole calls = %d, want 2", n)
	}
	e.Run("git-codecommit", "mfa", "--profile", "role", "--refresh").Must()
	if n := assumes(); n != 3 {
		t.Fatalf("mfa --refresh: AssumeRole calls = %d, want 3", n)
	}
	e.Git("ls-remote", "codecommit://role@demo").Must()
	if n := assumes(); n != 3 {
		t.Fatalf("after mfa --refresh: AssumeRole calls = %d, want 3 (cached)", n)
	}
}

// TestDoctorNamesLogoutForARejectedCachedSession: a cached role session AWS
// no longer accepts (here, a temporary key it never issued) is recognised by
// doctor, which names logout, not a new IAM access key; logout cures it.
func TestDoctorNamesLogoutForARejectedCachedSession(t *testing.T) {
	e := gittest.New(t)
	e.Git("ls-remote", "codecommit://role@demo").Must()
	files := cacheFiles(t, e)
	if len(files) != 1 {
		t.Fatalf("cache: %v", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var entry map[string]any
	if err := json.Unmarshal(b, &entry); err != nil {
		t.Fatal(err)
	}
	entry["Credentials"].(map[string]any)["AccessKeyId"] = "ASIAREVOKED000000000"
	b, _ = json.Marshal(entry)
	if err := os.WriteFile(files[0], b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.Run("git-codecommit", "doctor", "codecommit://role@demo")
	if r.Code != 1 || !strings.Contains(r.Stdout, "git codecommit logout --profile role") || strings.Contains(r.Stdout, "new access key") {
		t.Fatalf("doctor: exit %d\n%s", r.Code, r.Stdout)
	}
	e.Run("git-codecommit", "logout", "--profile", "role").Must()
	if r := e.Run("git-codecommit", "doctor", "codecommit://role@demo"); r.Code != 0 {
		t.Fatalf("doctor after logout: exit %d\n%s", r.Code, r.Stdout)
	}
}
