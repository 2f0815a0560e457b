package localserver

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFaultInjectionNotInReleasedBinary keeps the test-only fault switches
// out of git-codecommit: neither package faults nor any file defining its
// switches is among the command's dependencies (issue 17).
func TestFaultInjectionNotInReleasedBinary(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	cmd := exec.Command(gobin, "list", "-deps", "-json=ImportPath,Dir,GoFiles", "../../cmd/git-codecommit")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	sawServer := false
	for {
		var p struct {
			ImportPath, Dir string
			GoFiles         []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.ImportPath, "github.com/gitcodecommit/git-codecommit/") {
			continue
		}
		if strings.HasSuffix(p.ImportPath, "/internal/localserver") {
			sawServer = true
		}
		if strings.Contains(p.ImportPath, "/faults") {
			t.Errorf("git-codecommit links %s", p.ImportPath)
		}
		for _, f := range p.GoFiles {
			b, err := os.ReadFile(filepath.Join(p.Dir, f))
			if err != nil {
				t.Fatal(err)
			}
			for _, sw := range []string{"DenyPull(", "DenyPush(", "SetClockSkew(", "ExpireSessionTokens(", "SetRepoAccount("} {
				if strings.Contains(string(b), "func (") && strings.Contains(string(b), ") "+sw) {
					t.Errorf("%s/%s defines the fault switch %s", p.ImportPath, f, strings.TrimSuffix(sw, "("))
				}
			}
		}
	}
	if !sawServer {
		t.Fatal("git-codecommit does not depend on internal/localserver: the check looks at the wrong command")
	}
}
