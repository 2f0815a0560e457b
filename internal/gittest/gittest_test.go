package gittest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

func TestMain(m *testing.M) { gittest.Main(m) }

// TestBinaries checks that the three programs sit side by side.
func TestBinaries(t *testing.T) {
	dir := gittest.Binaries(t)
	for _, p := range gittest.Programs {
		st, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode()&0o111 == 0 {
			t.Errorf("%s is not executable", p)
		}
	}
}

// TestNothingLeftBehind runs TestBinaries in a child test process with a
// TMPDIR of its own and checks that the process left nothing in it.
func TestNothingLeftBehind(t *testing.T) {
	if os.Getenv("GITTEST_CHILD") != "" {
		t.Skip("child")
	}
	tmp := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBinaries$", "-test.count=1")
	// GITTEST_TOOLS emptied: the child builds, as a package run alone does.
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "GITTEST_CHILD=1", "GITTEST_TOOLS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("left behind in TMPDIR: %s", e.Name())
	}
}
