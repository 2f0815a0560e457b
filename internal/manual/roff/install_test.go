package roff_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
	"github.com/gitcodecommit/git-codecommit/internal/manual"
)

// TestMakeInstall: make install puts the three programs, every manual page
// and the three completion scripts under PREFIX; make uninstall removes
// exactly them.
func TestMakeInstall(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	prefix := t.TempDir()
	keep := filepath.Join(prefix, "share", "man", "man1", "other.1")
	if err := os.MkdirAll(filepath.Dir(keep), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keep, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	make := func(target string) {
		cmd := exec.Command("make", "-s", "-C", "../../..", target, "PREFIX="+prefix, "BIN="+gittest.Binaries(t))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("make %s: %v\n%s", target, err, out)
		}
	}
	make("install-files")
	want := []string{
		"bin/git-codecommit", "bin/git-credential-codecommit", "bin/git-remote-codecommit",
		"share/bash-completion/completions/git-codecommit", "share/fish/vendor_completions.d/git-codecommit.fish",
		"share/man/man1/other.1", "share/zsh/site-functions/_git-codecommit",
	}
	for _, n := range manual.Names() {
		want = append(want, "share/man/man1/"+n+".1")
	}
	sort.Strings(want)
	if got := files(t, prefix); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("installed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	b, err := os.ReadFile(filepath.Join(prefix, "share/bash-completion/completions/git-codecommit"))
	if err != nil || !strings.Contains(string(b), "_git_codecommit ()") {
		t.Errorf("bash completion: %v", err)
	}
	make("uninstall")
	if got := files(t, prefix); len(got) != 1 || got[0] != "share/man/man1/other.1" {
		t.Errorf("after uninstall: %q", got)
	}
}

func files(t *testing.T, root string) []string {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}
