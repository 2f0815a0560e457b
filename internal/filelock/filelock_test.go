package filelock

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// A planted symlink at the lock path must not make Lock create or truncate
// the file it points to.
func TestLockRefusesSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	lock := filepath.Join(dir, "x.lock")
	if err := os.Symlink(victim, lock); err != nil {
		t.Fatal(err)
	}
	if unlock, err := Lock(context.Background(), lock, nil); err == nil {
		unlock()
		t.Fatal("Lock followed a symlink")
	}
	if _, err := os.Lstat(victim); err == nil {
		t.Fatal("the symlink's target was created")
	}
}

func TestLockAndRelock(t *testing.T) {
	lock := filepath.Join(t.TempDir(), "sub", "x.lock")
	unlock, err := Lock(context.Background(), lock, nil)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	unlock, err = Lock(context.Background(), lock, nil)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
}

func TestLockDirExcludes(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockDir(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	waited := false
	_, err = LockDir(ctx, dir, func() { waited = true; cancel() })
	if err == nil || !waited {
		t.Fatalf("a second LockDir got the lock: %v (waited %v)", err, waited)
	}
	unlock()
	unlock, err = LockDir(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if runtime.GOOS != "windows" {
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("LockDir left %v", ents)
		}
	}
}
