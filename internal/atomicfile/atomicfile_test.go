package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "f")
	if err := Write(path, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("two"), 0o640); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	st, _ := os.Stat(path)
	if err != nil || string(b) != "two" || st.Mode().Perm() != 0o640 {
		t.Fatalf("content %q mode %v err %v", b, st.Mode().Perm(), err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("leftovers: %v", ents)
	}
}

func TestFailureBeforeRenameKeepsOriginal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("old"), 0o600)
	boom := errors.New("boom")
	if err := WriteHooked(path, []byte("new"), 0o600, func(string) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("original changed: %q", b)
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("temporary file left: %v", ents)
	}
}

// TestSweep: a killed writer's temporary file goes on the next write once
// it is stale; a fresh one (a writer at work) stays.
func TestSweep(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, ".f.tmp-111")
	fresh := filepath.Join(dir, ".f.tmp-222")
	other := filepath.Join(dir, ".g.tmp-333")
	for _, p := range []string{stale, fresh, other} {
		os.WriteFile(p, []byte("x"), 0o600)
	}
	old := time.Now().Add(-2 * staleAfter)
	os.Chtimes(stale, old, old)
	os.Chtimes(other, old, old)
	if err := Write(filepath.Join(dir, "f"), []byte("y"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Error("stale temporary file kept")
	}
	for _, p := range []string{fresh, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
}
