package gittest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// TestToolsListChecked checks GITTEST_TOOLS' checks: every program named
// by an absolute path of an executable file, or a one-line error.
func TestToolsListChecked(t *testing.T) {
	dir := gittest.Binaries(t)
	var all []string
	for _, p := range gittest.Programs {
		all = append(all, filepath.Join(dir, p))
	}
	if got, err := gittest.Tools(strings.Join(all, string(os.PathListSeparator))); err != nil || len(got) != len(all) {
		t.Fatalf("Tools(all) = %v, %v", got, err)
	}
	for name, list := range map[string]string{
		"one missing": strings.Join(all[1:], string(os.PathListSeparator)),
		"relative":    strings.Join(append([]string{gittest.Programs[0]}, all[1:]...), string(os.PathListSeparator)),
		"not a file":  strings.Join(append([]string{filepath.Join(t.TempDir(), gittest.Programs[0])}, all[1:]...), string(os.PathListSeparator)),
	} {
		if _, err := gittest.Tools(list); err == nil {
			t.Errorf("%s: Tools(%q) accepted", name, list)
		}
	}
}
