//go:build unix

package gitexec

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestHelperReadsPipe runs the credential helper through sh, as git does, with
// the credential pipe on a single-digit descriptor and on one above 9, which
// shells cannot name in a <& redirection.
func TestHelperReadsPipe(t *testing.T) {
	cred := Credential{Username: "ASIAX%tok/+=", Password: "20200101T000000Zabc", Expiry: time.Unix(42, 0)}
	for _, fd := range []int{3, 12} {
		files := make([]*os.File, fd-2)
		for i := range files {
			files[i] = os.Stdin
		}
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		w.Write(cred.Response())
		w.Close()
		files[fd-3] = r
		for _, action := range []string{"get", "store", "erase"} {
			script := strings.TrimPrefix(helperFor(fd), "!") // git runs "!cmd" as: sh -c 'cmd "$@"' cmd ACTION
			cmd := exec.Command("sh", "-c", script+` "$@"`, script, action)
			cmd.ExtraFiles = files
			cmd.Stdin = strings.NewReader("protocol=https\nhost=h\n\n")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("fd %d %s: %v", fd, action, err)
			}
			want := ""
			if action == "get" {
				want = string(cred.Response())
			}
			if string(out) != want {
				t.Errorf("fd %d %s: output %q, want %q", fd, action, out, want)
			}
		}
		r.Close()
	}
}
