package setup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Runner runs git with the given arguments and returns its standard
// output. A non-zero exit must be reported as a *GitError or as an error
// implementing ExitCode() int (like *exec.ExitError), because setup
// relies on "git config --get-all" exiting with 1 for a missing key.
type Runner interface {
	Git(ctx context.Context, args ...string) (stdout string, err error)
}

// ExecRunner runs the real git binary.
type ExecRunner struct {
	// Env is the complete environment for git. It is not merged with
	// the current process's environment; nil means an empty
	// environment. git is looked up in Env's PATH.
	Env []string
	// Dir is git's working directory ("" means the current directory).
	Dir string
}

// GitError describes a failed git invocation.
type GitError struct {
	Args     []string
	ExitCode int    // -1 if git did not run or was killed
	Stderr   string // git's stderr folded onto one line
	Err      error
}

func (e *GitError) Error() string {
	msg := fmt.Sprintf("git %s: %v", strings.Join(e.Args, " "), e.Err)
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

func (e *GitError) Unwrap() error { return e.Err }

// Git implements Runner.
func (r ExecRunner) Git(ctx context.Context, args ...string) (string, error) {
	gitPath, err := lookGit(r.Env)
	if err != nil {
		return "", &GitError{Args: args, ExitCode: -1, Err: err}
	}
	cmd := exec.CommandContext(ctx, gitPath, args...)
	cmd.Env = r.Env
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	cmd.Dir = r.Dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		code := -1
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		return stdout.String(), &GitError{Args: args, ExitCode: code, Stderr: oneLine(stderr.String()), Err: err}
	}
	return stdout.String(), nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ; ")), " ")
}

// lookGit finds git in the PATH of env (not of the current process).
func lookGit(env []string) (string, error) {
	pathList, ok := "", false
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if k == "PATH" || (runtime.GOOS == "windows" && strings.EqualFold(k, "PATH")) {
			pathList, ok = v, true
		}
	}
	if !ok {
		return "", errors.New("git not found: PATH is not set in the runner environment")
	}
	names := []string{"git"}
	if runtime.GOOS == "windows" {
		names = []string{"git.exe", "git.cmd", "git.bat"}
	}
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue // relative PATH entries are a security hazard
		}
		for _, n := range names {
			p := filepath.Join(dir, n)
			fi, err := os.Stat(p)
			if err != nil || fi.IsDir() {
				continue
			}
			if runtime.GOOS != "windows" && fi.Mode()&0o111 == 0 {
				continue
			}
			return p, nil
		}
	}
	return "", errors.New("git not found in PATH")
}

// exitCodeOf returns the exit status carried by err, or -1.
func exitCodeOf(err error) int {
	var ge *GitError
	if errors.As(err, &ge) {
		return ge.ExitCode
	}
	var ec interface{ ExitCode() int }
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return -1
}
