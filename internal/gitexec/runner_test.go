package gitexec

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// TestExecError moved here from setup with the runner: a missing key exits
// 1, git's stderr is folded onto one line, and an environment without PATH
// finds no git.
func TestExecError(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	home := t.TempDir()
	r := Exec{Proc: &proc.Proc{Environ: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GIT_CONFIG_NOSYSTEM=1"}, Git: "git"}, Dir: home}
	_, err := r.Git(context.Background(), "config", "--file", filepath.Join(home, "nope"), "--get-all", "a.b")
	if ExitCode(err) != 1 {
		t.Fatalf("exit code of missing key: %v", err)
	}
	_, err = r.Git(context.Background(), "no-such-subcommand")
	var ge *Error
	if !errors.As(err, &ge) || strings.Contains(ge.Stderr, "\n") || ge.Stderr == "" {
		t.Fatalf("error %#v", err)
	}
	if _, err := (Exec{Proc: &proc.Proc{}}).Git(context.Background(), "version"); err == nil {
		t.Fatal("runner with empty environment found git")
	}
}

// TestExecHonoursProcGit: the runner runs Proc.Git, by path or by name on
// Proc's PATH, never the process's own PATH or a relative PATH entry.
func TestExecHonoursProcGit(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell script")
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "mygit")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho \"fake $*\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*proc.Proc{
		{Git: fake},
		{Git: "mygit", Environ: []string{"PATH=relative:" + dir}},
	} {
		out, err := Exec{Proc: p}.Git(context.Background(), "version")
		if err != nil || out != "fake version\n" {
			t.Errorf("Git %q: %q, %v", p.Git, out, err)
		}
	}
	if _, err := (Exec{Proc: &proc.Proc{Git: "mygit", Environ: []string{"PATH=."}, Dir: dir}}).Git(context.Background(), "version"); err == nil {
		t.Error("found git through a relative PATH entry")
	}
	v, err := GitVersion(context.Background(), Exec{Proc: &proc.Proc{Git: filepath.Join(dir, "v")}})
	if err == nil {
		t.Errorf("GitVersion of a missing program: %v", v)
	}
}
