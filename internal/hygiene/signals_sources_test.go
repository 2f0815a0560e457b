//go:build unix

package hygiene_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestSignalWhileResolving sends SIGINT or SIGTERM to a helper alone (not
// its process group, as a service manager or `kill` does) while it waits on
// a credential source: a credential_process that never exits (and has a
// child of its own), and a container endpoint that accepts and never
// answers. The helper ends (the hang guard is not a time limit), no process
// it started is left, and no temporary file. Today's main: the helpers
// wait for the credential_process forever.
func TestSignalWhileResolving(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	helpers := []struct {
		name  string
		args  func(profile string) []string
		stdin string
	}{
		{"git-credential-codecommit", func(p string) []string { return []string{"--profile", p, "get"} },
			"protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n"},
		{"git-remote-codecommit", func(p string) []string { return []string{"origin", "codecommit://" + p + "@demo"} }, ""},
	}
	sources := []struct {
		name  string
		setup func(t *testing.T, e *gittest.Env) (profile string, blocked func() bool, grandchild func() int)
	}{
		{"credential_process", func(t *testing.T, e *gittest.Env) (string, func() bool, func() int) {
			dir := t.TempDir()
			pidFile := filepath.Join(dir, "grandchild.pid")
			script := filepath.Join(dir, "creds")
			if err := os.WriteFile(script, []byte("#!/bin/sh\nsleep 300 &\necho $! > "+pidFile+".tmp\nmv "+pidFile+".tmp "+pidFile+"\nwait\n"), 0o700); err != nil {
				t.Fatal(err)
			}
			e.AppendAWSConfig("\n[profile hang]\ncredential_process = " + script + "\nregion = us-east-1\n")
			pid := func() int {
				b, err := os.ReadFile(pidFile)
				if err != nil {
					return 0
				}
				n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
				return n
			}
			return "hang", func() bool { return pid() != 0 }, pid
		}},
		{"container endpoint", func(t *testing.T, e *gittest.Env) (string, func() bool, func() int) {
			addr, conns := gittest.HangingServer(t)
			e.AppendAWSConfig("\n[profile hang]\nregion = us-east-1\n")
			e.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://"+addr+"/creds")
			return "hang", func() bool { return conns.Load() > 0 }, func() int { return 0 }
		}},
	}
	for _, h := range helpers {
		for _, src := range sources {
			for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
				t.Run(h.name+"/"+src.name+"/"+sig.String(), func(t *testing.T) {
					e := gittest.New(t)
					profile, blocked, grandchild := src.setup(t, e)
					cmd := exec.Command(filepath.Join(e.Bin, h.name), h.args(profile)...)
					cmd.Dir, cmd.Env = e.Work, e.Environ
					cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the test's own group, to clean up
					stdinR, stdinW, err := os.Pipe()                      // a file: Wait does not wait on it
					if err != nil {
						t.Fatal(err)
					}
					defer stdinW.Close()
					cmd.Stdin = stdinR
					if _, err := stdinW.Write([]byte(h.stdin)); err != nil { // and keep it open, as git does
						t.Fatal(err)
					}
					var stderr bytes.Buffer
					cmd.Stderr = &stderr
					if err := cmd.Start(); err != nil {
						t.Fatal(err)
					}
					stdinR.Close()
					defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
					waited := make(chan error, 1)
					go func() { waited <- cmd.Wait() }()
					guard := time.After(2 * time.Minute) // hang guard, not a time limit
					for !blocked() {
						select {
						case err := <-waited:
							t.Fatalf("%s ended before it blocked: %v\n%s", h.name, err, stderr.String())
						case <-guard:
							t.Fatal("never reached the source")
						case <-time.After(10 * time.Millisecond):
						}
					}
					if err := cmd.Process.Signal(sig); err != nil {
						t.Fatal(err)
					}
					select {
					case <-waited:
					case <-time.After(2 * time.Minute): // hang guard
						t.Fatalf("%s still running after %v\n%s", h.name, sig, stderr.String())
					}
					if cmd.ProcessState.Success() {
						t.Errorf("%s succeeded after %v", h.name, sig)
					}
					if strings.Contains(stderr.String(), "goroutine ") || strings.Contains(stderr.String(), "panic") {
						t.Errorf("Go crash reached the user:\n%s", stderr.String())
					}
					waitGroupGone(t, cmd.Process.Pid)
					if pid := grandchild(); pid != 0 {
						guard := time.Now().Add(time.Minute) // the reaper's hang guard
						for syscall.Kill(pid, 0) == nil {
							if time.Now().After(guard) {
								syscall.Kill(pid, syscall.SIGKILL)
								t.Fatalf("the credential_process's child %d outlived %s", pid, h.name)
							}
							time.Sleep(10 * time.Millisecond)
						}
					}
					for _, root := range []string{e.Home, e.Work} {
						for _, f := range tempFiles(t, root) {
							t.Errorf("temporary file left: %s", f)
						}
					}
				})
			}
		}
	}
}
