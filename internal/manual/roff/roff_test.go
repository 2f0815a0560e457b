package roff_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
	"github.com/gitcodecommit/git-codecommit/internal/manual"
	"github.com/gitcodecommit/git-codecommit/internal/manual/roff"
)

func TestMain(m *testing.M) { gittest.Main(m) }

// manDir is the checked-in roff pages.
const manDir = "../../../man/man1"

// TestPagesCurrent: man/man1 is exactly what `make man` renders from
// docs/man, with no stale page.
func TestPagesCurrent(t *testing.T) {
	want := map[string]bool{}
	for _, n := range manual.Names() {
		want[n+".1"] = true
		b, _ := roff.Render(n)
		got, err := os.ReadFile(filepath.Join(manDir, n+".1"))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("man/man1/%s.1 is not current: run make man", n)
		}
	}
	entries, err := os.ReadDir(manDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("man/man1/%s has no source in docs/man: run make man", e.Name())
		}
	}
}

var overstrike = regexp.MustCompile(".\b")

// TestHelpThroughGit: git turns `git codecommit --help` into `git help
// codecommit`, which opens the installed manual page.
func TestHelpThroughGit(t *testing.T) {
	if _, err := exec.LookPath("man"); err != nil {
		t.Skip("man is not installed: cannot show manual pages")
	}
	root := t.TempDir()
	man1 := filepath.Join(root, "man", "man1")
	if err := os.MkdirAll(man1, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range manual.Names() {
		b, _ := roff.Render(n)
		if err := os.WriteFile(filepath.Join(man1, n+".1"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"HOME=" + root, "PATH=" + gittest.Binaries(t) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "MANPATH=" + filepath.Join(root, "man"),
		"MANPAGER=cat", "PAGER=cat", "GIT_PAGER=cat", "MANWIDTH=100", "LANG=C.UTF-8",
	}
	for _, args := range [][]string{{"codecommit", "--help"}, {"help", "codecommit"}} {
		cmd := exec.Command("git", args...)
		cmd.Env, cmd.Dir = env, root
		out, err := cmd.CombinedOutput()
		text := overstrike.ReplaceAllString(string(out), "")
		want := "git-codecommit - git for AWS CodeCommit"
		if err != nil || !strings.Contains(text, want) {
			t.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, text)
		}
	}
}
