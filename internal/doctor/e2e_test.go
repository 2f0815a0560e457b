package doctor_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/doctor"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// env is an end-to-end environment with a repository "proj" whose origin
// is url.
type env struct {
	*gittest.Env
	dir string
}

func newEnv(t *testing.T, url string) *env {
	t.Helper()
	e := &env{Env: gittest.New(t)}
	e.dir = e.Path("proj")
	e.Git("init", "-q", e.dir).Must()
	e.GitIn(e.dir, "remote", "add", "origin", url).Must()
	ensureCredentialHelper(e.Env)
	return e
}

// ensureCredentialHelper puts a git-credential-codecommit on PATH when the
// build has none, so the https scenarios test what they are about. Doctor
// never runs it.
func ensureCredentialHelper(e *gittest.Env) {
	if _, err := os.Stat(filepath.Join(e.Bin, "git-credential-codecommit")); err == nil {
		return
	}
	dir := e.T.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "git-credential-codecommit"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		e.T.Fatal(err)
	}
	e.Setenv("PATH", dir+string(os.PathListSeparator)+e.Getenv("PATH"))
}

// doctorJSON runs git codecommit doctor --json in the project and returns
// its report and exit code.
func (e *env) doctorJSON(args ...string) (*doctor.Report, int, string) {
	e.T.Helper()
	r := e.RunIn(e.dir, "", "git", append([]string{"codecommit", "doctor", "--json"}, args...)...)
	var rep doctor.Report
	if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
		e.T.Fatalf("doctor --json: exit %d, %v\nstdout:\n%s\nstderr:\n%s", r.Code, err, r.Stdout, r.Stderr)
	}
	return &rep, r.Code, r.Stdout
}

func dump(rep *doctor.Report) string {
	var b strings.Builder
	for _, c := range rep.Checks {
		fmt.Fprintf(&b, "  %-4s %-18s %s\n", c.Status, c.ID, c.Evidence)
		if c.Fix != "" {
			fmt.Fprintf(&b, "       fix: %s\n", c.Fix)
		}
	}
	return b.String()
}

// wantCause asserts that the first failing check is id, its evidence holds
// every cause string and its fix holds fix, and that checks depending on it
// are skipped rather than failed.
func wantCause(t *testing.T, rep *doctor.Report, code int, id string, cause []string, fix string) {
	t.Helper()
	if code != 1 || rep.OK {
		t.Errorf("exit %d, ok %v; want 1, false", code, rep.OK)
	}
	first := rep.First()
	if first == nil {
		t.Fatalf("no failing check; want %s\n%s", id, dump(rep))
	}
	if first.ID != id {
		t.Fatalf("first failing check %s; want %s\n%s", first.ID, id, dump(rep))
	}
	for _, c := range cause {
		if !strings.Contains(first.Evidence, c) {
			t.Errorf("evidence %q lacks %q", first.Evidence, c)
		}
	}
	if !strings.Contains(first.Fix, fix) {
		t.Errorf("fix %q lacks %q", first.Fix, fix)
	}
	fails := 0
	for _, c := range rep.Checks {
		if c.Status == doctor.Fail {
			fails++
		}
	}
	if fails != 1 {
		t.Errorf("%d failing checks, want only the cause\n%s", fails, dump(rep))
	}
}

func status(rep *doctor.Report, id string) doctor.Status {
	for _, c := range rep.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

func TestHealthyCodeCommitRemote(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit://demo")
	rep, code, out := e.doctorJSON()
	if code != 0 || !rep.OK || rep.First() != nil {
		t.Fatalf("exit %d\n%s", code, dump(rep))
	}
	if rep.Version != 1 || rep.Target.Remote != "origin" || rep.Target.Kind != "codecommit" || rep.Target.Repository != "demo" ||
		rep.Target.Profile != "default" || rep.Target.Region != "us-east-1" || rep.Target.Host != e.Server.Host() {
		t.Errorf("target %+v", rep.Target)
	}
	ids := []string{"git", "url", "profile", "credentials", "identity", "endpoint", "proxy", "clock", "repository", "pull", "push", "credential-helpers", "use-http-path", "submodules", "stored-password", "git-credentials"}
	if len(rep.Checks) != len(ids) {
		t.Fatalf("%d checks, want %d\n%s", len(rep.Checks), len(ids), dump(rep))
	}
	for i, id := range ids {
		if rep.Checks[i].ID != id || rep.Checks[i].Status != doctor.OK {
			t.Errorf("check %d: %s %s, want %s ok", i, rep.Checks[i].ID, rep.Checks[i].Status, id)
		}
	}
	for _, want := range []string{"CODE_COMMIT_ENDPOINT", "****" + e.Server.Users()[0].AccessKeyID[16:], "account " + e.Server.Account(), "GIT_SSL_CAINFO"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q\n%s", want, dump(rep))
		}
	}
	u := e.Server.Users()[0]
	if strings.Contains(out, u.SecretAccessKey) || strings.Contains(out, u.AccessKeyID) {
		t.Error("report shows a secret or a whole access key")
	}
	// Text output names no cause.
	text := e.RunIn(e.dir, "", "git", "codecommit", "doctor").Must()
	if !strings.Contains(text, "no problem found") || !strings.Contains(text, "remote origin (codecommit://demo)") {
		t.Errorf("text report:\n%s", text)
	}
	// Outside a repository, a URL argument works.
	rep2, code, _ := (&env{Env: e.Env, dir: e.Work}).doctorJSON("codecommit://demo")
	if code != 0 || rep2.Target.Remote != "" || rep2.Target.URL != "codecommit://demo" {
		t.Errorf("URL argument: exit %d, target %+v\n%s", code, rep2.Target, dump(rep2))
	}
}

func TestWrongSecret(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit://demo")
	u := e.Server.Users()[0]
	cred := filepath.Join(e.Home, ".aws", "credentials")
	b, err := os.ReadFile(cred)
	if err != nil {
		t.Fatal(err)
	}
	bad := "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	if err := os.WriteFile(cred, []byte(strings.ReplaceAll(string(b), u.SecretAccessKey, bad)), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, code, out := e.doctorJSON()
	wantCause(t, rep, code, "identity", []string{"wrong secret", "does not belong to access key ****" + u.AccessKeyID[16:]}, "aws configure --profile default")
	for _, id := range []string{"repository", "pull", "push"} {
		if status(rep, id) != doctor.Skip {
			t.Errorf("%s: %s, want skip", id, status(rep, id))
		}
	}
	if strings.Contains(out, bad) {
		t.Error("report shows the secret")
	}
	// The text form ends with the cause and the fix.
	r := e.RunIn(e.dir, "", "git", "codecommit", "doctor")
	if r.Code != 1 || !strings.Contains(r.Stdout, "cause: wrong secret") || !strings.Contains(r.Stdout, "fix:   aws configure --profile default") {
		t.Errorf("text report: exit %d\n%s", r.Code, r.Stdout)
	}
}

// TestRefusedSignatureInTheRightRegion: git's signed request gets a 403
// whose reason mentions the region ("check the secret key and the
// region") while the API found the repository in the region git signed
// for: doctor must not call it a region mismatch (issue 13 item 15).
func TestRefusedSignatureInTheRightRegion(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit://demo")
	u := e.Server.Users()[0]
	e.Faults.RefuseSignature(u.AccessKeyID)
	rep, code, out := e.doctorJSON()
	wantCause(t, rep, code, "pull", []string{"403", "signature was refused", "exists in us-east-1", "the server says: signature does not match"}, "check the secret access key of access key ****"+u.AccessKeyID[16:])
	if status(rep, "repository") != doctor.OK {
		t.Errorf("repository: %s, want ok\n%s", status(rep, "repository"), dump(rep))
	}
	for _, bad := range []string{"region mismatch", "codecommit::"} {
		if strings.Contains(out, bad) {
			t.Errorf("report says %q though the repository is in the region signed for\n%s", bad, dump(rep))
		}
	}
}

func TestExpiredSessionToken(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit://sess@demo")
	s, err := e.Server.IssueSession(e.Server.Users()[0].AccessKeyID, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.AppendAWSCredentials(fmt.Sprintf("[sess]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n", s.AccessKeyID, s.SecretAccessKey, s.SessionToken))
	e.AppendAWSConfig(fmt.Sprintf("[profile sess]\nregion = us-east-1\nca_bundle = %s\n", e.Server.CAFile()))
	if rep, code, _ := e.doctorJSON(); code != 0 {
		t.Fatalf("fresh session: exit %d\n%s", code, dump(rep))
	}
	e.Faults.ExpireSessionTokens()
	rep, code, out := e.doctorJSON()
	wantCause(t, rep, code, "identity", []string{"session token of profile sess has expired"}, "aws_session_token")
	if strings.Contains(out, s.SessionToken) || strings.Contains(out, s.SecretAccessKey) {
		t.Error("report shows a secret")
	}
}

func TestRepositoryMissing(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit://Demo")
	rep, code, _ := e.doctorJSON()
	wantCause(t, rep, code, "repository", []string{"repository Demo does not exist in us-east-1", "did you mean demo?"}, "git remote set-url origin codecommit://demo")
	if status(rep, "pull") != doctor.Skip {
		t.Errorf("pull: %s, want skip", status(rep, "pull"))
	}
	e.GitIn(e.dir, "remote", "set-url", "origin", "codecommit://nothere").Must()
	rep, code, _ = e.doctorJSON()
	wantCause(t, rep, code, "repository", []string{"repository nothere does not exist in us-east-1"}, "git codecommit create nothere --region us-east-1")
}

func TestWrongRegion(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit::eu-west-1://demo")
	rep, code, _ := e.doctorJSON()
	wantCause(t, rep, code, "repository", []string{"region mismatch", "is in us-east-1", "sign for eu-west-1"}, "git remote set-url origin codecommit::us-east-1://demo")
	// The same through a profile whose region is wrong.
	e.GitIn(e.dir, "remote", "set-url", "origin", "codecommit://eu@demo").Must()
	e.AppendAWSConfig(fmt.Sprintf("[profile eu]\nregion = eu-west-1\nca_bundle = %s\n", e.Server.CAFile()))
	e.AppendAWSCredentials(fmt.Sprintf("[eu]\naws_access_key_id = %s\naws_secret_access_key = %s\n", e.Server.Users()[0].AccessKeyID, e.Server.Users()[0].SecretAccessKey))
	rep, code, _ = e.doctorJSON()
	wantCause(t, rep, code, "repository", []string{"region mismatch"}, "git remote set-url origin codecommit::us-east-1://eu@demo")
	if !strings.Contains(rep.Checks[2].Evidence, "region eu-west-1 (from the profile)") {
		t.Errorf("profile check does not say where the region came from: %s", rep.Checks[2].Evidence)
	}
}

func TestPullAllowedPushDenied(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit://demo")
	e.Faults.DenyPush(e.Server.Users()[0].AccessKeyID, "demo")
	rep, code, _ := e.doctorJSON()
	wantCause(t, rep, code, "push", []string{"pull allowed but push denied", "403", "lacks codecommit:GitPush", "arn:aws:codecommit:us-east-1:" + e.Server.Account() + ":demo"}, "aws iam put-user-policy --user-name dev")
	if status(rep, "pull") != doctor.OK {
		t.Errorf("pull: %s, want ok", status(rep, "pull"))
	}
	e.Faults.DenyPull(e.Server.Users()[0].AccessKeyID, "demo")
	rep, code, _ = e.doctorJSON()
	wantCause(t, rep, code, "pull", []string{"lacks codecommit:GitPull", "the server says:"}, `"Action":["codecommit:GitPull"]`)
	if status(rep, "push") != doctor.Skip {
		t.Errorf("push: %s, want skip", status(rep, "push"))
	}
}

func TestClockSkew(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit://demo")
	e.Faults.SetClockSkew(10 * time.Minute)
	rep, code, _ := e.doctorJSON()
	wantCause(t, rep, code, "clock", []string{"clock skew", "the local clock is 10m", "behind the server's"}, "timedatectl set-ntp true")
	if status(rep, "pull") != doctor.Skip {
		t.Errorf("pull: %s, want skip", status(rep, "pull"))
	}
}

// httpsEnv is a project whose origin is the https URL of demo on the local
// endpoint, with global git configuration cfg (key, value pairs).
func httpsEnv(t *testing.T, cfg ...string) *env {
	t.Helper()
	e := &env{Env: gittest.New(t)}
	e.dir = e.Path("proj")
	e.Git("init", "-q", e.dir).Must()
	e.GitIn(e.dir, "remote", "add", "origin", "https://"+e.Server.Host()+"/v1/repos/demo").Must()
	ensureCredentialHelper(e.Env)
	for i := 0; i+1 < len(cfg); i += 2 {
		e.Git("config", "--global", "--add", cfg[i], cfg[i+1]).Must()
	}
	return e
}

func TestHealthyHTTPSRemote(t *testing.T) {
	e := httpsEnv(t)
	host := "https://" + e.Server.Host()
	e.Git("config", "--global", "--add", "credential."+host+".helper", "").Must()
	e.Git("config", "--global", "--add", "credential."+host+".helper", "codecommit --profile dev").Must()
	e.Git("config", "--global", "credential."+host+".UseHttpPath", "true").Must()
	rep, code, _ := e.doctorJSON()
	if code != 0 || rep.Target.Kind != "https" || rep.Target.Profile != "dev" {
		t.Fatalf("exit %d, target %+v\n%s", code, rep.Target, dump(rep))
	}
	if !strings.Contains(rep.Checks[2].Evidence, "profile dev (from the credential helper's --profile)") {
		t.Errorf("profile evidence: %s", rep.Checks[2].Evidence)
	}
}

func TestStoreHelperStalePassword(t *testing.T) {
	host := ""
	e := httpsEnv(t)
	host = e.Server.Host()
	e.Git("config", "--global", "--add", "credential.helper", "store").Must()
	e.Git("config", "--global", "--add", "credential.https://"+host+".helper", "codecommit").Must()
	e.Git("config", "--global", "credential.https://"+host+".UseHttpPath", "true").Must()
	const old = "20240101T000000Z0123456789abcdef"
	line := "https://" + e.Server.Users()[0].AccessKeyID + ":" + old + "@" + host + "/v1/repos/demo\n"
	if err := os.WriteFile(filepath.Join(e.Home, ".git-credentials"), []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, code, out := e.doctorJSON()
	wantCause(t, rep, code, "credential-helpers", []string{"stale stored password", "store helper comes before codecommit", ".git-credentials line 1"}, "git credential-store --file "+filepath.Join(e.Home, ".git-credentials")+" erase")
	if strings.Contains(out, old) {
		t.Error("report shows the stored password")
	}
	// The fix works: after erasing and a reset, nothing fails.
	e.RunIn(e.dir, "protocol=https\nhost="+host+"\n\n", "git", "credential-store", "erase").Must()
	e.Git("config", "--global", "--unset-all", "credential.https://"+host+".helper").Must()
	e.Git("config", "--global", "--add", "credential.https://"+host+".helper", "").Must()
	e.Git("config", "--global", "--add", "credential.https://"+host+".helper", "codecommit").Must()
	if rep, code, _ := e.doctorJSON(); code != 0 {
		t.Errorf("after the fix: exit %d\n%s", code, dump(rep))
	}
}

func TestUseHttpPathMissing(t *testing.T) {
	e := httpsEnv(t)
	host := "https://" + e.Server.Host()
	e.Git("config", "--global", "--add", "credential."+host+".helper", "").Must()
	e.Git("config", "--global", "--add", "credential."+host+".helper", "codecommit").Must()
	rep, code, _ := e.doctorJSON()
	wantCause(t, rep, code, "use-http-path", []string{"UseHttpPath missing"}, "git config --global credential."+host+".UseHttpPath true")
}

func TestNoCredentials(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit::us-east-1://demo")
	for _, f := range []string{"config", "credentials"} {
		if err := os.WriteFile(filepath.Join(e.Home, ".aws", f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rep, code, _ := e.doctorJSON()
	wantCause(t, rep, code, "credentials", []string{"no AWS credentials found for profile \"default\""}, "aws configure --profile default")
	for _, id := range []string{"identity", "repository", "pull", "push"} {
		if status(rep, id) != doctor.Skip {
			t.Errorf("%s: %s, want skip", id, status(rep, id))
		}
	}
}

func TestRemoteSelection(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "https://example.com/x.git")
	rep, code, _ := e.doctorJSON()
	wantCause(t, rep, code, "url", []string{"no CodeCommit remote"}, "git codecommit doctor codecommit://REPO")
	e.GitIn(e.dir, "remote", "add", "cc", "codecommit://demo").Must()
	rep, code, _ = e.doctorJSON()
	if code != 0 || rep.Target.Remote != "cc" {
		t.Errorf("only CodeCommit remote: exit %d, target %+v\n%s", code, rep.Target, dump(rep))
	}
	rep, code, _ = e.doctorJSON("nope")
	wantCause(t, rep, code, "url", []string{`no remote "nope"`}, "git remote -v")
}

// TestEnvironmentKeysShadowAWSProfile: AWS_PROFILE names a role profile
// while keys sit in the environment. The keys win (as in the AWS CLI), and
// the doctor warns, naming the profile set aside and how to use it.
func TestEnvironmentKeysShadowAWSProfile(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit://demo")
	u := e.Server.Users()[0]
	e.Setenv("AWS_ACCESS_KEY_ID", u.AccessKeyID)
	e.Setenv("AWS_SECRET_ACCESS_KEY", u.SecretAccessKey)
	e.Setenv("AWS_PROFILE", "role")
	rep, code, _ := e.doctorJSON()
	if code != 0 || !rep.OK || status(rep, "credentials") != doctor.Warn {
		t.Fatalf("exit %d, ok %v, credentials %s; want 0, true, warn\n%s", code, rep.OK, status(rep, "credentials"), dump(rep))
	}
	for _, c := range rep.Checks {
		if c.ID == "credentials" && (!strings.Contains(c.Evidence, "not profile role from AWS_PROFILE (assume role") ||
			!strings.Contains(c.Fix, "(codecommit://role@demo)")) {
			t.Errorf("credentials check: %q, fix %q", c.Evidence, c.Fix)
		}
	}
	if n := e.Server.STSCalls()["AssumeRole"]; n != 0 {
		t.Errorf("%d AssumeRole calls, want 0: the environment's keys are used", n)
	}
}

// TestForeignHelperShadowsOurs: the git check names each helper with its
// version, and fails with the fix when AWS's Python helper (or anything
// that does not answer our --version) comes first on PATH.
func TestForeignHelperShadowsOurs(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t, "codecommit://demo")
	rep, _, _ := e.doctorJSON()
	if c := rep.Checks[0]; c.ID != "git" || c.Status != doctor.OK || !strings.Contains(c.Evidence, "git-remote-codecommit ") || !strings.Contains(c.Evidence, ", go1.") {
		t.Fatalf("healthy git check: %+v", c)
	}
	dir := t.TempDir()
	py := "#!/usr/bin/python3\n# -*- coding: utf-8 -*-\nimport sys\nfrom git_remote_codecommit import main\nsys.exit(main())\n"
	if err := os.WriteFile(filepath.Join(dir, "git-remote-codecommit"), []byte(py), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "git-credential-codecommit"), []byte("#!/bin/sh\necho nope\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	e.Setenv("PATH", dir+string(os.PathListSeparator)+e.Getenv("PATH"))
	rep, code, _ := e.doctorJSON()
	c := rep.Checks[0]
	if code == 0 || c.ID != "git" || c.Status != doctor.Fail {
		t.Fatalf("exit %d, git check %+v", code, c)
	}
	for _, want := range []string{filepath.Join(dir, "git-remote-codecommit") + " is AWS's Python git-remote-codecommit", filepath.Join(dir, "git-credential-codecommit") + " is not ours"} {
		if !strings.Contains(c.Evidence, want) {
			t.Errorf("evidence lacks %q: %s", want, c.Evidence)
		}
	}
	if !strings.Contains(c.Fix, "pip uninstall git-remote-codecommit") || !strings.Contains(c.Fix, "PATH") {
		t.Errorf("fix: %s", c.Fix)
	}
}

// TestStoredPasswordAsGitWritesIt: an entry written by git-credential-store
// itself (host:port percent-encoded, 127.0.0.1%3aPORT) for the repository is
// found, and the fix (its erase input) removes exactly what git would use.
func TestStoredPasswordAsGitWritesIt(t *testing.T) {
	e := httpsEnv(t)
	host := e.Server.Host()
	e.Git("config", "--global", "--add", "credential.helper", "store").Must()
	e.Git("config", "--global", "--add", "credential.https://"+host+".helper", "codecommit").Must()
	e.Git("config", "--global", "credential.https://"+host+".UseHttpPath", "true").Must()
	const old = "20240101T000000Z0123456789abcdef"
	e.RunIn(e.dir, "protocol=https\nhost="+host+"\npath=v1/repos/demo\nusername="+e.Server.Users()[0].AccessKeyID+"\npassword="+old+"\n\n", "git", "credential-store", "store").Must()
	stored := filepath.Join(e.Home, ".git-credentials")
	if b, _ := os.ReadFile(stored); !strings.Contains(string(b), "%3a") {
		t.Fatalf("git did not percent-encode the port: %s", b)
	}
	rep, code, out := e.doctorJSON()
	wantCause(t, rep, code, "credential-helpers", []string{"stale stored password", ".git-credentials line 1"}, "git credential-store --file "+stored+" erase")
	if strings.Contains(out, old) || strings.Contains(out, e.Server.Users()[0].AccessKeyID) {
		t.Error("report shows the stored password or the full access key")
	}
	// Run the erase the fix gives (its input, as printf would expand it).
	fix := rep.First().Fix
	i, j := strings.Index(fix, "printf '")+len("printf '"), strings.Index(fix, "' | git credential-store")
	e.RunIn(e.dir, strings.ReplaceAll(fix[i:j], `\n`, "\n"), "git", "credential-store", "--file", stored, "erase").Must()
	if b, _ := os.ReadFile(stored); len(strings.TrimSpace(string(b))) != 0 {
		t.Fatalf("the fix left the entry: %s", b)
	}
}

// TestHarmlessHostOnlyEntry: with credential.UseHttpPath true git asks with
// the path, so a stored entry for the host alone is never used: no failure.
func TestHarmlessHostOnlyEntry(t *testing.T) {
	e := httpsEnv(t)
	host := e.Server.Host()
	e.Git("config", "--global", "--add", "credential.https://"+host+".helper", "").Must()
	e.Git("config", "--global", "--add", "credential.https://"+host+".helper", "store").Must()
	e.Git("config", "--global", "--add", "credential.https://"+host+".helper", "codecommit --profile dev").Must()
	e.Git("config", "--global", "credential.https://"+host+".UseHttpPath", "true").Must()
	e.RunIn(e.dir, "protocol=https\nhost="+host+"\nusername=x\npassword=old\n\n", "git", "credential-store", "store").Must()
	rep, code, _ := e.doctorJSON()
	if code != 0 || rep.First() != nil {
		t.Fatalf("exit %d; a harmless entry failed a check\n%s", code, dump(rep))
	}
	if st := status(rep, "stored-password"); st != doctor.OK {
		t.Errorf("stored-password %s\n%s", st, dump(rep))
	}
	for _, c := range rep.Checks {
		if c.ID == "stored-password" && !strings.Contains(c.Evidence, "never uses") {
			t.Errorf("evidence: %s", c.Evidence)
		}
	}
}

// TestHelperPathGone: a helper value setup wrote by a path that no longer
// holds the helper (the toolset moved or was uninstalled) fails with that
// cause and the fix of rerunning setup, which writes the current path; the
// same value by the installed path passes, and the name form earlier
// versions wrote passes with a note.
func TestHelperPathGone(t *testing.T) {
	e := httpsEnv(t)
	host := "https://" + e.Server.Host()
	key := "credential." + host + ".helper"
	gone := filepath.Join(e.Home, "old", "bin", "git-credential-codecommit")
	e.Git("config", "--global", "--add", key, "").Must()
	e.Git("config", "--global", "--add", key, "!'"+gone+"' --profile dev").Must()
	e.Git("config", "--global", "credential."+host+".UseHttpPath", "true").Must()
	rep, code, _ := e.doctorJSON()
	wantCause(t, rep, code, "credential-helpers", []string{"credential helper " + gone + " cannot be run"}, "git codecommit setup")

	e.Git("config", "--global", "--replace-all", key, filepath.Join(e.Bin, "git-credential-codecommit")+" --profile dev", "git-credential-codecommit").Must()
	if rep, code, _ := e.doctorJSON(); code != 0 {
		t.Errorf("helper by its installed path: exit %d\n%s", code, dump(rep))
	}
	e.Git("config", "--global", "--replace-all", key, "codecommit --profile dev", "git-credential-codecommit").Must()
	rep, code, _ = e.doctorJSON()
	if code != 0 {
		t.Fatalf("name form: exit %d\n%s", code, dump(rep))
	}
	for _, c := range rep.Checks {
		if c.ID == "credential-helpers" && !strings.Contains(c.Evidence, "by name, through git's wrapper") {
			t.Errorf("name form: evidence %q does not say how git runs it", c.Evidence)
		}
	}
}

// TestHelperByPathNotOnPATH: with the helper line by its absolute path (as
// setup writes it), git needs no git-credential-codecommit on PATH, so the
// url check does not fail for want of one.
func TestHelperByPathNotOnPATH(t *testing.T) {
	e := httpsEnv(t)
	host := "https://" + e.Server.Host()
	key := "credential." + host + ".helper"
	e.Git("config", "--global", "--add", key, "").Must()
	e.Git("config", "--global", "--add", key, filepath.Join(e.Bin, "git-credential-codecommit")+" --profile dev").Must()
	e.Git("config", "--global", "credential."+host+".UseHttpPath", "true").Must()
	var path []string
	for _, d := range filepath.SplitList(e.Getenv("PATH")) {
		if d != e.Bin {
			path = append(path, d)
		}
	}
	e.Setenv("PATH", strings.Join(path, string(os.PathListSeparator)))
	r := e.RunIn(e.dir, "", filepath.Join(e.Bin, "git-codecommit"), "doctor", "--json")
	var rep doctor.Report
	if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
		t.Fatalf("doctor --json: exit %d, %v\n%s\n%s", r.Code, err, r.Stdout, r.Stderr)
	}
	if r.Code != 0 {
		t.Errorf("exit %d\n%s", r.Code, dump(&rep))
	}
	// The first check names the helper git runs by path, not a missing one.
	helper := filepath.Join(e.Bin, "git-credential-codecommit")
	for _, c := range rep.Checks {
		if c.ID == "git" && (strings.Contains(c.Evidence, "git-credential-codecommit not on PATH") || !strings.Contains(c.Evidence, " at "+helper)) {
			t.Errorf("git check: %s (%s), want the helper at %s", c.Evidence, c.Status, helper)
		}
	}
}
