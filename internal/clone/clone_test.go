package clone_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestDefault: the profile is bound in the codecommit remote URL of that
// repository only.
func TestDefault(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Run("git-codecommit", "clone", "--profile", "dev", "demo").Must()
	dir := e.Path("demo")
	if got := e.GitIn(dir, "remote", "get-url", "origin").Must(); got != "codecommit://dev@demo\n" {
		t.Fatalf("remote URL %q", got)
	}
	e.Commit(dir, "a.txt", "a\n")
	e.GitIn(dir, "push", "-q", "origin", "HEAD:main").Must()

	e.Run("git-codecommit", "clone", "codecommit://role@demo", "--region", "us-east-1", "as-role").Must()
	if got := e.GitIn(e.Path("as-role"), "remote", "get-url", "origin").Must(); got != "codecommit::us-east-1://role@demo\n" {
		t.Fatalf("remote URL %q", got)
	}
	if _, err := os.Stat(e.Path("as-role", "a.txt")); err != nil {
		t.Fatal(err)
	}
	if e.Git("config", "--global", "--get-regexp", "codecommit").Code == 0 {
		t.Error("clone wrote the global config")
	}
}

// TestHTTPS: an https remote whose credential helper, profile and region
// live in the repository's local config; no global setup is needed.
func TestHTTPS(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	store := filepath.Join(e.Home, "git-credentials")
	e.Git("config", "--global", "credential.helper", "store --file="+store).Must()
	url := "https://" + e.Server.Host() + "/v1/repos/demo"

	e.Run("git-codecommit", "clone", "--https", "--profile", "role", "demo", "work").Must()
	dir := e.Path("work")
	if got := e.GitIn(dir, "remote", "get-url", "origin").Must(); got != url+"\n" {
		t.Fatalf("remote URL %q, want %s", got, url)
	}
	helpers := e.GitIn(dir, "config", "--local", "--get-all", "credential."+url+".helper").Must()
	// By the path of the helper installed beside git-codecommit: git starts
	// it without its `git credential-codecommit` wrapper.
	ch := filepath.Join(e.Bin, "git-credential-codecommit")
	if want := "\n" + ch + " --profile role --region us-east-1\n"; helpers != want {
		t.Fatalf("local helpers %q, want %q", helpers, want)
	}
	e.Commit(dir, "b.txt", "b\n")
	e.GitIn(dir, "push", "-q", "origin", "HEAD:main").Must()
	e.GitIn(dir, "fetch", "-q").Must()
	if b, _ := os.ReadFile(store); len(b) != 0 {
		t.Fatalf("the store helper saved:\n%s", b)
	}

	// The same URL form as input, into the default directory.
	e.Run("git-codecommit", "clone", "--https", url).Must()
	if _, err := os.Stat(e.Path("demo", "b.txt")); err != nil {
		t.Fatal(err)
	}
	if got := e.GitIn(e.Path("demo"), "config", "--get-all", "credential."+url+".helper").Must(); got != "\n"+ch+" --region us-east-1\n" {
		t.Errorf("helpers %q", got)
	}
}

func TestFailures(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	stderr := e.Run("git-codecommit", "clone", "--profile", "nope", "demo").MustFail()
	if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "git-codecommit: ") || !strings.Contains(stderr, `"nope"`) {
		t.Errorf("wrong profile: %q", stderr)
	}
	if _, err := os.Stat(e.Path("demo")); err == nil {
		t.Error("a failed clone left a directory")
	}
	// git's own failure passes through with git's exit status.
	r := e.Run("git-codecommit", "clone", "--https", "--profile", "dev", "missing")
	if r.Code != 128 || !strings.Contains(r.Stderr, "fatal:") {
		t.Errorf("clone of a missing repository: exit %d, stderr %q", r.Code, r.Stderr)
	}
	// A name the AWS files can hold (spaces, @, /, :) is looked up, as
	// the AWS CLI does: not found, exit 1, naming it.
	if r := e.Run("git-codecommit", "clone", "--profile", "x y", "demo"); r.Code != 1 || !strings.Contains(r.Stderr, `"x y"`) {
		t.Errorf(`clone --profile "x y": exit %d, stderr %q`, r.Code, r.Stderr)
	}
	for _, args := range [][]string{{}, {"a", "b", "c"}, {"--profile", "x]y", "demo"}, {"--profile", "prod", "codecommit://dev@demo"}, {"https://github.com/x/y"}} {
		r := e.Run("git-codecommit", append([]string{"clone"}, args...)...)
		if r.Code != 2 || strings.Count(r.Stderr, "\n") != 1 {
			t.Errorf("clone %q: exit %d, stderr %q", args, r.Code, r.Stderr)
		}
	}
}

// TestGitOptions: every git clone option passes through, in both flag
// forms, mixed with clone's own, and whatever follows "--" too.
func TestGitOptions(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Run("git-codecommit", "clone", "--profile", "dev", "demo", "seed").Must()
	seed := e.Path("seed")
	e.Commit(seed, "a.txt", "a\n")
	e.Commit(seed, "b.txt", "b\n")
	e.GitIn(seed, "push", "-q", "origin", "HEAD:main", "HEAD~1:refs/heads/old").Must()

	e.Run("git-codecommit", "clone", "--depth", "1", "-b", "main", "--recurse-submodules", "demo", "--profile", "dev", "shallow").Must()
	dir := e.Path("shallow")
	if got := e.GitIn(dir, "rev-parse", "--is-shallow-repository").Must(); got != "true\n" {
		t.Errorf("--depth 1: shallow %q", got)
	}
	if got := e.GitIn(dir, "rev-parse", "--abbrev-ref", "HEAD").Must(); got != "main\n" {
		t.Errorf("-b main: on %q", got)
	}
	if got := e.GitIn(dir, "remote", "get-url", "origin").Must(); got != "codecommit://dev@demo\n" {
		t.Errorf("remote URL %q", got)
	}

	e.Run("git-codecommit", "clone", "--https", "--filter=blob:none", "--branch=old", "-o", "cc", "--profile", "dev", "demo", "partial", "--", "--no-tags").Must()
	dir = e.Path("partial")
	if got := e.GitIn(dir, "config", "remote.cc.partialclonefilter").Must(); got != "blob:none\n" {
		t.Errorf("--filter: %q", got)
	}
	if got := e.GitIn(dir, "config", "remote.cc.tagOpt").Must(); got != "--no-tags\n" {
		t.Errorf("-- --no-tags: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.txt")); err == nil {
		t.Error("--branch=old: b.txt checked out")
	}

	r := e.Run("git-codecommit", "clone", "--dpeth", "1", "demo")
	if r.Code != 2 || r.Stderr != "git-codecommit: unknown flag: --dpeth; did you mean --depth?; run 'git codecommit clone --help'\n" {
		t.Errorf("typo: exit %d, %q", r.Code, r.Stderr)
	}
}

// TestHTTPSCloneNoRoundTrip: on git 2.46 and later `clone --https` makes
// its initial clone with http.<url>.proactiveAuth already in force (on
// git's command line, not only in the new repository's config), so git asks
// git-credential-codecommit before its first request: one request per
// round (info/refs, the ls-refs POST, the fetch POST), none answered 401.
func TestHTTPSCloneNoRoundTrip(t *testing.T) {
	t.Parallel() // its own HOME and server
	gittest.NeedGit(t, gitexec.ProactiveAuth)
	e := gittest.New(t)
	e.Git("config", "--global", "protocol.version", "2").Must()
	e.Run("git-codecommit", "clone", "--profile", "dev", "demo", "seed").Must()
	e.Commit(e.Path("seed"), "a.txt", "a\n")
	e.GitIn(e.Path("seed"), "push", "-q", "origin", "HEAD:main").Must()

	skip := strings.Count(e.Log(), "\n")
	e.Run("git-codecommit", "clone", "--https", "--profile", "dev", "demo", "work").Must()
	var reqs []string
	for _, l := range strings.Split(e.Log(), "\n")[skip:] {
		if strings.Contains(l, "/v1/repos/demo/") {
			reqs = append(reqs, l)
		}
	}
	want := []string{"GET /v1/repos/demo/info/refs?service=git-upload-pack 200", "POST /v1/repos/demo/git-upload-pack 200", "POST /v1/repos/demo/git-upload-pack 200"}
	ok := len(reqs) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.Contains(reqs[i], want[i])
	}
	if !ok {
		t.Fatalf("git codecommit clone --https made these requests, want info/refs, ls-refs and fetch, each answered 200 at once:\n%s", strings.Join(reqs, "\n"))
	}
	if _, err := os.Stat(e.Path("work", "a.txt")); err != nil {
		t.Fatal(err)
	}
}
