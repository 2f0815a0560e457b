package repocmd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

func TestRepositoryCommands(t *testing.T) {
	e := gittest.New(t)
	dir := e.Path("proj")
	e.Git("init", "-q", dir).Must()
	e.Commit(dir, "a.txt", "a\n")

	out := e.RunIn(dir, "", "git", "codecommit", "create", "tools", "--description", "build tools", "--remote", "cc").Must()
	if !strings.Contains(out, "created repository tools") || !strings.Contains(out, "added remote cc codecommit://tools") {
		t.Errorf("create output:\n%s", out)
	}
	if got := strings.TrimSpace(e.GitIn(dir, "remote", "get-url", "cc").Must()); got != "codecommit://tools" {
		t.Errorf("remote cc = %q", got)
	}
	e.GitIn(dir, "push", "-q", "cc", "HEAD:main").Must()

	stderr := e.RunIn(dir, "", "git", "codecommit", "create", "tools").MustFail()
	if !strings.Contains(stderr, "already exists") || !strings.Contains(stderr, "git codecommit info tools") {
		t.Errorf("create again: %s", stderr)
	}
	stderr = e.RunIn(e.Work, "", "git", "codecommit", "create", "other", "--remote", "x").MustFail()
	if !strings.Contains(stderr, "not in a git repository") {
		t.Errorf("create --remote outside a repository: %s", stderr)
	}

	if got := e.Run("git", "codecommit", "list").Must(); got != "demo\ntools\n" {
		t.Errorf("list = %q", got)
	}

	info := e.Run("git", "codecommit", "info", "tools").Must()
	for _, want := range []string{
		"arn:            arn:aws:codecommit:us-east-1:" + e.Server.Account() + ":tools",
		"description:    build tools",
		"default branch: main",
		"clone https:    https://" + e.Server.Host() + "/v1/repos/tools",
		"clone grc:      codecommit::us-east-1://tools",
		"clone ssh:      ssh://",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("info lacks %q:\n%s", want, info)
		}
	}
	stderr = e.Run("git", "codecommit", "info", "nope").MustFail()
	if !strings.Contains(stderr, "repository nope does not exist in us-east-1") {
		t.Errorf("info of a missing repository: %s", stderr)
	}

	// A mistyped confirmation deletes nothing.
	r := e.RunIn(e.Work, "Tools\n", "git", "codecommit", "delete", "tools")
	r.MustFail()
	if !strings.Contains(r.Stderr, "Type the repository name") || !strings.Contains(r.Stderr, "nothing was deleted") {
		t.Errorf("mistyped delete: %s", r.Stderr)
	}
	if _, err := os.Stat(filepath.Join(e.Server.Dir(), "tools")); err != nil {
		t.Fatalf("repository gone after an aborted delete: %v", err)
	}
	e.RunIn(e.Work, "", "git", "codecommit", "delete", "tools").MustFail() // no input: aborted
	if _, err := os.Stat(filepath.Join(e.Server.Dir(), "tools")); err != nil {
		t.Fatalf("repository gone after an unconfirmed delete: %v", err)
	}

	out = e.RunIn(e.Work, "tools\n", "git", "codecommit", "delete", "tools").Must()
	if !strings.Contains(out, "deleted repository tools") {
		t.Errorf("delete: %s", out)
	}
	if got := e.Run("git", "codecommit", "list").Must(); got != "demo\n" {
		t.Errorf("list after delete = %q", got)
	}
	e.Run("git", "codecommit", "create", "scratch").Must()
	e.Run("git", "codecommit", "delete", "--yes", "scratch").Must()
	if _, err := os.Stat(filepath.Join(e.Server.Dir(), "scratch")); !os.IsNotExist(err) {
		t.Errorf("scratch still exists after delete --yes: %v", err)
	}
	if stderr := e.Run("git", "codecommit", "delete", "--yes", "scratch").MustFail(); !strings.Contains(stderr, "does not exist") {
		t.Errorf("delete of a missing repository: %s", stderr)
	}
	if stderr := e.Run("git", "codecommit", "info").MustFail(); !strings.Contains(stderr, "missing repository name") {
		t.Errorf("info without a name: %s", stderr)
	}
}

// TestJSON: create, list and info --json parse and keep schema version 1.
func TestJSON(t *testing.T) {
	e := gittest.New(t)
	dir := e.Path("proj")
	e.Git("init", "-q", dir).Must()
	info := []string{"version", "name", "description", "arn", "id", "account", "region", "default_branch", "clone_urls.https", "clone_urls.codecommit", "clone_urls.ssh"}

	v := gittest.JSONSchema(t, e.RunIn(dir, "", "git", "codecommit", "create", "--json", "tools", "--remote", "cc").Must(), append(info, "remote")...)
	if v["name"] != "tools" || v["remote"] != "cc" || v["region"] != "us-east-1" || v["clone_urls"].(map[string]any)["codecommit"] != "codecommit::us-east-1://tools" {
		t.Errorf("create --json: %v", v)
	}
	v = gittest.JSONSchema(t, e.Run("git", "codecommit", "list", "--json").Must(), "version", "profile", "region", "repositories[].name", "repositories[].id")
	if repos := v["repositories"].([]any); len(repos) != 2 || repos[1].(map[string]any)["name"] != "tools" {
		t.Errorf("list --json: %v", v)
	}
	v = gittest.JSONSchema(t, e.Run("git", "codecommit", "info", "tools", "--json").Must(), info...)
	if v["arn"] != "arn:aws:codecommit:us-east-1:"+e.Server.Account()+":tools" || v["default_branch"] != "" {
		t.Errorf("info --json: %v", v)
	}
}
