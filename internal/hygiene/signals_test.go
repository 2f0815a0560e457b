//go:build unix

package hygiene_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestSignalDuringClone interrupts a clone held mid-transfer, the way a
// terminal's Ctrl-C (SIGINT) or a CI runner's SIGTERM reaches the whole
// foreground process group. git-remote-codecommit has exec'd into git
// remote-https by then, so the signal reaches git's processes directly: git
// clone dies by the signal (status 128+N from a shell), nothing of the group
// survives, and our programs left no temporary file.
//
// The partial directory is git clone's to remove, from its own signal
// handler, and that handler races git's other threads: now and then (once
// in some 60 runs under load) part of it is left behind. The test logs what
// is left instead of failing on git's race.
func TestSignalDuringClone(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			e := gittest.New(t)
			seedRepo(t, e, 512<<10)
			proxy := newStallProxy(t, e.Server.Host(), 64<<10)
			e.Setenv("CODE_COMMIT_ENDPOINT", proxy.Addr())

			cmd := exec.Command("git", "clone", "codecommit://role@demo", "c")
			cmd.Dir, cmd.Env = e.Work, e.Environ
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			pgid := cmd.Process.Pid
			defer syscall.Kill(-pgid, syscall.SIGKILL)
			waited := make(chan error, 1)
			go func() { waited <- cmd.Wait() }()
			select {
			case <-proxy.stalled:
			case err := <-waited:
				t.Fatalf("clone ended before the transfer was held: %v\n%s", err, stderr.String())
			case <-time.After(2 * time.Minute): // hang guard, not a time limit
				t.Fatal("the transfer never reached the proxy's hold point")
			}
			if err := syscall.Kill(-pgid, sig); err != nil {
				t.Fatal(err)
			}
			<-waited
			ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !diedOfSignal(ws, sig, stderr.String()) {
				t.Errorf("git clone: %v, want death by %v, exit %d, or git's own die (exit 128)\n%s", cmd.ProcessState, sig, 128+int(sig), stderr.String())
			}
			t.Logf("git clone after %v: %v", sig, cmd.ProcessState)
			waitGroupGone(t, pgid)
			if _, err := os.Stat(e.Path("c")); !errors.Is(err, fs.ErrNotExist) {
				t.Logf("git left part of the clone: %v\n%s", err, strings.Join(listTree(e.Path("c")), "\n"))
			}
			for _, root := range []string{e.Home, e.Work} {
				for _, f := range tempFiles(t, root) {
					t.Errorf("temporary file left: %s", f)
				}
			}
		})
	}
}

// diedOfSignal reports whether git clone ended the way git ends when its
// process group is signalled mid-fetch: killed by sig, or exit 128+sig from
// a shell in between. Git itself has a third way. The kernel may hand the
// signal to clone's sideband demultiplexer thread rather than its main
// thread. The handler then removes the partial clone on that thread, while
// the main thread sees index-pack (killed by the same signal) vanish and
// dies first: "fatal: fetch-pack: invalid index-pack output", exit 128.
// That race is git's, not ours, so exit 128 with a fatal line counts too. A
// clone that succeeds, or that anything of ours turns into another status,
// still fails the test.
func diedOfSignal(ws syscall.WaitStatus, sig syscall.Signal, stderr string) bool {
	switch {
	case ws.Signaled():
		return ws.Signal() == sig
	case ws.Exited() && ws.ExitStatus() == 128+int(sig):
		return true
	case ws.Exited() && ws.ExitStatus() == 128:
		return strings.Contains(stderr, "fatal: ")
	}
	return false
}

// waitGroupGone waits until no process of group pgid is left.
func waitGroupGone(t *testing.T, pgid int) {
	t.Helper()
	guard := time.Now().Add(time.Minute) // hang guard, not a time limit
	for syscall.Kill(-pgid, 0) == nil {
		if time.Now().After(guard) {
			t.Fatalf("processes of group %d still running after the signal", pgid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// listTree lists the files under root, for a failure message.
func listTree(root string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}
