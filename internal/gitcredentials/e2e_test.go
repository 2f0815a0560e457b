package gitcredentials_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/doctor"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

func TestMain(m *testing.M) { gittest.Main(m) }

var (
	passwordRe = regexp.MustCompile(`(?m)^password: (\S+)$`)
	idRe       = regexp.MustCompile(`ACCA[A-Z0-9]{16}`)
)

func TestGitCredentialsCreateCloneReset(t *testing.T) {
	e := gittest.New(t)
	e.UseSSH() // AWS_ENDPOINT_URL_IAM
	url := "https://" + e.Server.Host() + "/v1/repos/demo"

	// Without a helper to store it, create refuses before creating.
	stderr := e.Run("git", "codecommit", "git-credentials", "create").MustFail()
	if !strings.Contains(stderr, "no credential helper") || !strings.Contains(stderr, "--show") {
		t.Errorf("create without a helper:\n%s", stderr)
	}
	if out := e.Run("git", "codecommit", "git-credentials", "list").Must(); out != "" {
		t.Errorf("a credential was created anyway:\n%s", out)
	}

	e.Git("config", "--global", "credential.helper", "store").Must()
	out := e.Run("git", "codecommit", "git-credentials", "create", "--show").Must()
	m := passwordRe.FindStringSubmatch(out)
	id := idRe.FindString(out)
	if m == nil || id == "" || !strings.Contains(out, "user name dev-at-"+e.Server.Account()) || !strings.Contains(out, "stored for https://"+e.Server.Host()) {
		t.Fatalf("create output:\n%s", out)
	}
	oldPassword := m[1]
	stored, _ := os.ReadFile(filepath.Join(e.Home, ".git-credentials"))
	if !strings.Contains(string(stored), "dev-at-"+e.Server.Account()) {
		t.Fatalf("~/.git-credentials:\n%s", stored)
	}
	if b, _ := os.ReadFile(e.TraceFile); strings.Contains(string(b), oldPassword) {
		t.Error("the trace holds the password")
	}
	if strings.Contains(e.Log(), oldPassword) {
		t.Error("the server log holds the password")
	}

	// Plain git over https with the stored Git credential.
	e.Git("clone", "-q", url, e.Path("c")).Must()
	e.Commit(e.Path("c"), "g.txt", "g\n")
	e.GitIn(e.Path("c"), "push", "-q", "origin", "HEAD:main").Must()

	// Without --show, create prints no password; a third is over the limit.
	out = e.Run("git", "codecommit", "git-credentials", "create").Must()
	if strings.Contains(out, "password") {
		t.Errorf("create printed a password without --show:\n%s", out)
	}
	second := idRe.FindString(out)
	stderr = e.Run("git", "codecommit", "git-credentials", "create").MustFail()
	if !strings.Contains(stderr, "already has 2 Git credentials") || !strings.Contains(stderr, "reset") {
		t.Errorf("third create:\n%s", stderr)
	}
	e.Run("git", "codecommit", "git-credentials", "delete", second).Must()

	// reset: the store gets the new password, the old one fails with a 403.
	out = e.Run("git", "codecommit", "git-credentials", "reset", id).Must()
	if !strings.Contains(out, "reset Git credential "+id) {
		t.Errorf("reset output:\n%s", out)
	}
	e.GitIn(e.Path("c"), "fetch", "-q").Must()
	stale := "https://dev-at-" + e.Server.Account() + ":" + strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(oldPassword) + "@" + e.Server.Host() + "\n"
	if err := os.WriteFile(filepath.Join(e.Home, ".git-credentials"), []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.GitIn(e.Path("c"), "fetch", "-q")
	if r.Code == 0 || !strings.Contains(r.Stderr, "403") {
		t.Fatalf("fetch with the old password: %d\n%s", r.Code, r.Stderr)
	}

	// doctor names the cause: the stored Git credential was reset.
	dr := e.RunIn(e.Path("c"), "", "git", "codecommit", "doctor", "--json")
	var rep doctor.Report
	if err := json.Unmarshal([]byte(dr.Stdout), &rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s\n%s", err, dr.Stdout, dr.Stderr)
	}
	if c := rep.First(); dr.Code == 0 || c == nil || c.ID != "git-credentials" || !strings.Contains(c.Evidence, "was reset") || !strings.Contains(c.Fix, "git-credentials reset "+id) {
		t.Errorf("doctor after a reset: exit %d, first failure %+v\n%s", dr.Code, c, dr.Stdout)
	}
	if strings.Contains(dr.Stdout, oldPassword) {
		t.Error("doctor printed the stored password")
	}
	// With the current password stored again, doctor is content.
	e.Run("git", "codecommit", "git-credentials", "reset", id).Must()
	dr = e.RunIn(e.Path("c"), "", "git", "codecommit", "doctor")
	if dr.Code != 0 {
		t.Errorf("doctor with a fresh Git credential: exit %d\n%s", dr.Code, dr.Stdout)
	}

	// A role profile has no Git credentials.
	stderr = e.Run("git", "codecommit", "git-credentials", "list", "--profile", "role").MustFail()
	if !strings.Contains(stderr, "Git credentials need an IAM user") {
		t.Errorf("role profile:\n%s", stderr)
	}
}
