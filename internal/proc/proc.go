// Package proc is the process boundary of the toolset's programs: arguments,
// environment, standard streams, clock and the git binary. main fills a Proc
// from the operating system with OS; tests fill one with fakes. Nothing below
// main reads os.Args, os.Getenv or the standard streams directly.
package proc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
)

// Proc is what a command may touch of its process.
type Proc struct {
	Args    []string // arguments after the program name
	Environ []string // KEY=VALUE, as os.Environ
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Now     func() time.Time
	Git     string // the git program: "git" or a path
	Dir     string // working directory; "" is the process's
	Self    string // this program's executable, "" if unknown
}

// OS returns the Proc of the running process.
func OS() *Proc {
	self, _ := os.Executable()
	return &Proc{Args: os.Args[1:], Environ: os.Environ(), Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now, Git: "git", Self: self}
}

// Getenv returns the value of key in p.Environ (the last one wins, as in
// the C library).
func (p *Proc) Getenv(key string) string {
	v, _ := p.LookupEnv(key)
	return v
}

// LookupEnv is Getenv that tells set from empty.
func (p *Proc) LookupEnv(key string) (string, bool) {
	for i := len(p.Environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(p.Environ[i], "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// Clock returns p.Now, or time.Now when it is nil.
func (p *Proc) Clock() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

// WithEnv returns env with key set to value, replacing every earlier entry.
func WithEnv(env []string, key, value string) []string {
	out := WithoutEnv(env, key)
	return append(out, key+"="+value)
}

// WithoutEnv returns env without key.
func WithoutEnv(env []string, key string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != key {
			out = append(out, kv)
		}
	}
	return out
}

// DevNull opens the null device for reading; on failure it returns a closed
// file, which reads as an error, never as git's input.
func DevNull() *os.File {
	f, err := os.Open(os.DevNull)
	if err != nil {
		return os.NewFile(^uintptr(0), os.DevNull)
	}
	return f
}

// FullProgram is git-codecommit: the helpers hand it every credential
// source they do not resolve without the AWS SDK.
const FullProgram = "git-codecommit"

// FullProgramPath finds git-codecommit for helper (beside it, else on PATH),
// or says in one line, with what to do, that it is missing.
func (p *Proc) FullProgramPath(helper string) (string, error) {
	if full := p.Sibling(FullProgram); full != "" {
		return full, nil
	}
	return "", failure.WithHint(
		errors.New(FullProgram+" is not installed beside "+helper+" or on PATH, and credentials other than static keys need it"),
		"install all three programs together: go install github.com/gitcodecommit/git-codecommit/cmd/...@latest, or every binary of a release archive")
}

// RunChild runs program as a child under the name argv[0] with arguments
// argv[1:], p's environment and directory, stdin, and p's standard output
// and error, and returns its exit status. err is set only when the child
// could not be run or did not exit by itself.
func (p *Proc) RunChild(ctx context.Context, program string, argv []string, stdin io.Reader) (int, error) {
	cmd := exec.CommandContext(ctx, program)
	cmd.Args, cmd.Env, cmd.Dir = argv, p.Environ, p.Dir
	// Cancelled (SIGINT, SIGTERM): the child gets SIGTERM, to end its own
	// children and locks, and is killed if it has not gone in half the
	// grace Main gives this program.
	cmd.Cancel = func() error { return terminate(cmd.Process) }
	cmd.WaitDelay = SignalGrace / 2
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, p.Stdout, p.Stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.Exited():
		return ee.ExitCode(), nil
	case err != nil:
		return -1, fmt.Errorf("running %s: %w", program, err)
	}
	return 0, nil
}

// Command returns the command that runs program (a path, or a name found
// by LookPath on p's PATH) with args, p's environment and directory; the
// caller sets its streams. It is the one way the toolset starts another
// program by name.
func (p *Proc) Command(ctx context.Context, program string, args ...string) (*exec.Cmd, error) {
	path := program
	if !strings.ContainsAny(program, `/\`) {
		var ok bool
		if path, ok = p.LookPath(program); !ok {
			return nil, fmt.Errorf("%s not found on PATH: %w", program, exec.ErrNotFound)
		}
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env, cmd.Dir = p.Environ, p.Dir
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	return cmd, nil
}

// Sibling finds the program name (".exe" added on Windows) beside this
// program's executable, else on p's PATH; "" if neither has it.
func (p *Proc) Sibling(name string) string {
	name = ExeName(name)
	if c, st := p.beside(name); st != nil && !st.IsDir() {
		return c
	}
	c, _ := p.LookPath(name)
	return c
}

// Installed finds the program name (".exe" added on Windows) installed
// beside this program's executable, as an absolute path to run it by: the
// path p's PATH gives it when that is the same file (os.SameFile, symlinks
// not resolved in the path returned, so a symlinked bin directory such as
// Homebrew's survives upgrades), else the sibling's own path; "" when
// there is no executable sibling or this program's executable is unknown.
func (p *Proc) Installed(name string) string {
	name = ExeName(name)
	if !filepath.IsAbs(p.Self) {
		return ""
	}
	sib, st := p.beside(name)
	if st == nil || !IsExecutable(st) {
		return ""
	}
	if on, ok := p.LookPath(name); ok {
		if ost, err := os.Stat(on); err == nil && os.SameFile(st, ost) {
			return on
		}
	}
	return sib
}

// ExeName is name as a program file is named here (".exe" on Windows).
func ExeName(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// beside is the path of name in the directory of this program's
// executable and what os.Stat says of it; st is nil when the executable
// is unknown or nothing is there.
func (p *Proc) beside(name string) (path string, st os.FileInfo) {
	if p.Self == "" {
		return "", nil
	}
	path = filepath.Join(filepath.Dir(p.Self), name)
	st, err := os.Stat(path)
	if err != nil {
		return "", nil
	}
	return path, st
}

// IsExecutable reports whether st is a regular file someone may execute
// (on Windows: any regular file).
func IsExecutable(st os.FileInfo) bool {
	return st.Mode().IsRegular() && (runtime.GOOS == "windows" || st.Mode().Perm()&0o111 != 0)
}

// LookPath finds an executable in p's PATH (absolute directories only).
func (p *Proc) LookPath(name string) (string, bool) {
	return LookPathIn(p.Getenv("PATH"), name)
}

// LookPathIn finds an executable name in the directory list path, skipping
// empty and relative entries, which would resolve against the current
// directory. It is the toolset's one PATH lookup.
func LookPathIn(path, name string) (string, bool) {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		if f, err := exec.LookPath(filepath.Join(dir, name)); err == nil {
			return f, true
		}
	}
	return "", false
}
