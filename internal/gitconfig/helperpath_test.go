package gitconfig

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// TestHelperStringByPath: with a path the value runs the helper by that
// path, plainly when sh needs no quoting, else as a quoted "!" command.
func TestHelperStringByPath(t *testing.T) {
	for _, c := range []struct {
		h    Helper
		want string
	}{
		{Helper{Path: "/usr/local/bin/git-credential-codecommit"}, "/usr/local/bin/git-credential-codecommit"},
		{Helper{Path: "/usr/local/bin/git-credential-codecommit", Profile: "dev", Region: "eu-west-1"}, "/usr/local/bin/git-credential-codecommit --profile dev --region eu-west-1"},
		{Helper{Path: "/opt/x_1.2+3/git-credential-codecommit", Profile: "team@x"}, "/opt/x_1.2+3/git-credential-codecommit --profile team@x"},
		{Helper{Path: "/Users/Jo Doe/bin/git-credential-codecommit", Profile: "dev"}, `!'/Users/Jo Doe/bin/git-credential-codecommit' --profile dev`},
		{Helper{Path: "/o'dd/git-credential-codecommit", Profile: "it's"}, `!'/o'\''dd/git-credential-codecommit' --profile 'it'\''s'`},
		{Helper{Path: "/a=b/git-credential-codecommit"}, `!'/a=b/git-credential-codecommit'`},
		{Helper{Path: "/x/$HOME/git-credential-codecommit", IgnoreHostCheck: true}, `!'/x/$HOME/git-credential-codecommit' --ignore-host-check`},
	} {
		if got := c.h.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.h, got, c.want)
		}
	}
}

// TestHelperRoundTripForms: every form written reads back as itself, the
// old "codecommit" form included.
func TestHelperRoundTripForms(t *testing.T) {
	paths := []string{"", "/usr/local/bin/git-credential-codecommit", "/opt/homebrew/bin/git-credential-codecommit",
		"/Users/Jo Doe/bin/git-credential-codecommit", "/o'dd/\"q\"/git-credential-codecommit", "/a!b/$x/`y`/git-credential-codecommit"}
	profiles := []string{"", "dev", "org/dev", "it's odd", `say "hi"`}
	for _, p := range paths {
		for _, prof := range profiles {
			for _, h := range []Helper{{Path: p, Profile: prof}, {Path: p, Profile: prof, Region: "us-east-1", IgnoreHostCheck: true}} {
				v := h.String()
				got, ok := ParseHelper(v)
				if !ok || got != h {
					t.Errorf("ParseHelper(%q) = %+v %v, want %+v", v, got, ok, h)
				}
			}
		}
	}
}

// TestParseHelperForms: the forms of earlier versions and of this one are
// ours; other shell commands are not.
func TestParseHelperForms(t *testing.T) {
	const p = "/usr/local/bin/git-credential-codecommit"
	for _, c := range []struct {
		v    string
		want Helper
		ok   bool
	}{
		{"codecommit --profile dev", Helper{Profile: "dev"}, true},
		{p + " --profile dev", Helper{Path: p, Profile: "dev"}, true},
		{"!" + p + " --profile dev", Helper{Path: p, Profile: "dev"}, true},
		{`!'/a b/git-credential-codecommit' --profile 'P'`, Helper{Path: "/a b/git-credential-codecommit", Profile: "P"}, true},
		{"!git credential-codecommit --profile dev", Helper{}, false},
		{"!codecommit", Helper{}, false},
		{"!" + p + " --profile dev; rm -rf /", Helper{}, false},
		{"!/usr/bin/gh auth git-credential", Helper{}, false},
		{"/usr/bin/git-credential-manager", Helper{}, false},
		{"!'/a b/git-credential-codecommit", Helper{}, false},
	} {
		got, ok := ParseHelper(c.v)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseHelper(%q) = %+v %v, want %+v %v", c.v, got, ok, c.want, c.ok)
		}
	}
}

// TestHelperValueRunsUnderSh runs each value as git does (credential.c:
// "!" cut and the rest run by sh, an absolute path run by sh as is, each
// with " get" appended) and checks the helper gets exactly its arguments.
func TestHelperValueRunsUnderSh(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("git runs helpers through its own sh on Windows")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	root := t.TempDir()
	for _, dir := range []string{"plain", "with space", "it's", `dq"$HOME`, "a!b`c`"} {
		d := filepath.Join(root, dir)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		prog := filepath.Join(d, HelperProgram)
		if err := os.WriteFile(prog, []byte("#!/bin/sh\nfor a; do printf '[%s]' \"$a\"; done\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, prof := range []string{"dev", "it's odd", `x"y`} {
			v := Helper{Path: prog, Profile: prof}.String()
			cmd := strings.TrimPrefix(v, "!")
			out, err := exec.Command(sh, "-c", cmd+" get").Output()
			if want := "[--profile][" + prof + "][get]"; err != nil || string(out) != want {
				t.Errorf("sh -c %q: %q %v, want %q", cmd+" get", out, err, want)
			}
		}
	}
}

// TestHelperPath: the helper installed beside the running program, by the
// name PATH gives it when that is the same file (a symlink of Homebrew's
// bin directory stays, so upgrades keep working), else by the sibling path;
// "" when there is none.
func TestHelperPath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps the helper name")
	}
	root := t.TempDir()
	cellar := filepath.Join(root, "Cellar", "1.0", "bin")
	linked := filepath.Join(root, "bin")
	other := filepath.Join(root, "other")
	for _, d := range []string{cellar, linked, other} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	self := filepath.Join(cellar, "git-codecommit")
	sib := filepath.Join(cellar, HelperProgram)
	for _, f := range []string{self, sib, filepath.Join(other, HelperProgram)} {
		if err := os.WriteFile(f, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(sib, filepath.Join(linked, HelperProgram)); err != nil {
		t.Fatal(err)
	}
	p := func(self, path string) *proc.Proc { return &proc.Proc{Self: self, Environ: []string{"PATH=" + path}} }
	for _, c := range []struct {
		name string
		p    *proc.Proc
		want string
	}{
		{"PATH names the sibling through a symlink", p(self, linked), filepath.Join(linked, HelperProgram)},
		{"PATH has another copy first", p(self, other+string(os.PathListSeparator)+linked), sib},
		{"not on PATH", p(self, ""), sib},
		{"no sibling", p(filepath.Join(root, "lonely", "git-codecommit"), linked), ""},
		{"unknown executable", p("", linked), ""},
	} {
		if got := HelperPath(c.p); got != c.want {
			t.Errorf("%s: HelperPath = %q, want %q", c.name, got, c.want)
		}
	}
	if err := os.Chmod(sib, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := HelperPath(p(self, linked)); got != "" {
		t.Errorf("sibling not executable: HelperPath = %q, want \"\"", got)
	}
}

// TestRunnable: a helper value by a path that is gone or not executable is
// a typed cause whose fix is to rerun setup; the name form always passes.
func TestRunnable(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, HelperProgram)
	if err := os.WriteFile(ok, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	noexec := filepath.Join(dir, "noexec", HelperProgram)
	if err := os.MkdirAll(filepath.Dir(noexec), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(noexec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := (Helper{}).Runnable(); err != nil {
		t.Errorf("name form: %v", err)
	}
	if err := (Helper{Path: ok}).Runnable(); err != nil {
		t.Errorf("%s: %v", ok, err)
	}
	for _, bad := range []string{filepath.Join(dir, "gone", HelperProgram), noexec, dir} {
		err := Helper{Path: bad}.Runnable()
		var me *HelperMissingError
		if !errors.As(err, &me) || me.Path != bad {
			t.Errorf("%s: %v, want a *HelperMissingError", bad, err)
			continue
		}
		if h := failure.Hint(err); !strings.Contains(h, "git codecommit setup") {
			t.Errorf("%s: hint %q", bad, h)
		}
	}
}
