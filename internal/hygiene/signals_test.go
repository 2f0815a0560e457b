//go:build unix

package hygiene_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestSignalDuringClone interrupts a clone held mid-transfer, the way a
// terminal's Ctrl-C (SIGINT) or a CI runner's SIGTERM reaches the whole
// foreground process group. git-remote-codecommit has exec'd into git
// remote-https by then, so the signal reaches git's processes directly: git
// clone removes its partial directory and dies by the signal (status
// 128+N from a shell), nothing of the group survives, and our programs left
// no temporary file.
func TestSignalDuringClone(t *testing.T) {
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
			if !(ws.Signaled() && ws.Signal() == sig) && !(ws.Exited() && ws.ExitStatus() == 128+int(sig)) {
				t.Errorf("git clone: %v, want death by %v or exit %d\n%s", cmd.ProcessState, sig, 128+int(sig), stderr.String())
			}
			t.Logf("git clone after %v: %v", sig, cmd.ProcessState)
			waitGroupGone(t, pgid)
			if _, err := os.Stat(e.Path("c")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the partial clone is still there: %v", err)
			}
			for _, root := range []string{e.Home, e.Work} {
				for _, f := range tempFiles(t, root) {
					t.Errorf("temporary file left: %s", f)
				}
			}
		})
	}
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
