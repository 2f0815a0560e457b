//go:build unix

package credcache

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// TestHostileEntryIsAMiss: an entry that is a FIFO, a device or a directory
// is a miss (logged with the reason), never a hang or an unbounded read, and
// the fetched credentials replace a FIFO.
func TestHostileEntryIsAMiss(t *testing.T) {
	k := Key{RoleARN: "arn:aws:iam::1:role/x"}
	for _, kind := range []string{"FIFO", "device", "directory"} {
		t.Run(kind, func(t *testing.T) {
			c, lr := newCache(t)
			if err := os.MkdirAll(c.Dir, 0o700); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(c.Dir, k.FileName())
			var err error
			switch kind {
			case "FIFO":
				err = syscall.Mkfifo(path, 0o600)
			case "device":
				err = os.Symlink("/dev/zero", path)
			case "directory":
				err = os.Mkdir(path, 0o700)
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := c.Get(k); ok {
				t.Fatal("hit")
			}
			if !strings.Contains(lr.String(), "not a regular file") {
				t.Errorf("log does not say why:\n%s", lr)
			}
			if kind == "directory" {
				return // rename cannot replace a directory: fetched, not cached
			}
			var n atomic.Int32
			if _, _, err := c.GetOrFetch(context.Background(), k, fakeFetch(&n)); err != nil || n.Load() != 1 {
				t.Fatalf("GetOrFetch: %v %d", err, n.Load())
			}
			if _, ok := c.Get(k); !ok {
				t.Errorf("entry not replaced")
			}
		})
	}
}

// TestLockFileNotFollowed: a lock file planted as a symbolic link is not
// followed (nothing is created at its target); the fetch goes on unlocked.
func TestLockFileNotFollowed(t *testing.T) {
	k := Key{RoleARN: "arn:aws:iam::1:role/x"}
	c, lr := newCache(t)
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "created-through-link")
	if err := os.Symlink(target, filepath.Join(c.Dir, k.FileName()+".lock")); err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	if _, _, err := c.GetOrFetch(context.Background(), k, fakeFetch(&n)); err != nil || n.Load() != 1 {
		t.Fatalf("GetOrFetch: %v %d", err, n.Load())
	}
	if _, err := os.Lstat(target); err == nil {
		t.Fatal("the lock was created through the symbolic link")
	}
	if !strings.Contains(lr.String(), "symbolic link") {
		t.Errorf("log does not say why:\n%s", lr)
	}
}
