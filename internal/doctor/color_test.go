package doctor

import (
	"os"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// TestColor: colour on a terminal only, never with NO_COLOR or TERM=dumb.
func TestColor(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	pipeR, pipeW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pipeR.Close()
	defer pipeW.Close()
	for _, c := range []struct {
		out  *os.File
		env  []string
		want bool
	}{
		{tty, nil, true},
		{tty, []string{"TERM=xterm"}, true},
		{tty, []string{"NO_COLOR=1"}, false},
		{tty, []string{"TERM=dumb"}, false},
		{pipeW, nil, false},
	} {
		if got := useColor(&proc.Proc{Stdout: c.out, Environ: c.env}); got != c.want {
			t.Errorf("stdout %s, env %q: colour %v", c.out.Name(), c.env, got)
		}
	}
	r := &Report{Checks: []Check{{ID: "git", Status: OK, Evidence: "fine"}, {ID: "url", Status: Fail, Evidence: "bad", Fix: "do"}}}
	var b strings.Builder
	if err := r.writeText(&b, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\x1b[32mok  \x1b[0m  git") || !strings.Contains(b.String(), "\x1b[1;31mFAIL\x1b[0m  url") {
		t.Errorf("coloured:\n%q", b.String())
	}
	b.Reset()
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "\x1b") {
		t.Errorf("plain text has escapes:\n%q", b.String())
	}
}
