// Package atomicfile replaces a file so that readers see its old content or
// its new content, never a part of either: the data goes to a temporary file
// beside it with the final mode, is synced, and is renamed over the file,
// then the directory is synced. A writer killed mid-write leaves at worst a
// hidden temporary file, which the next write to the same file removes once
// it is an hour old.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// staleAfter is the age past which a temporary file is a killed writer's.
const staleAfter = time.Hour

// Write replaces path with data, mode perm, creating its directory (0700).
func Write(path string, data []byte, perm fs.FileMode) error {
	return WriteHooked(path, data, perm, nil)
}

// WriteHooked is Write with a hook run just before the rename, for tests
// that make a write fail at its last step.
func WriteHooked(path string, data []byte, perm fs.FileMode, beforeRename func(tmp string) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	sweep(dir, base)
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if beforeRename != nil {
		if err := beforeRename(tmp.Name()); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	ok = true
	syncDir(dir)
	return nil
}

// sweep removes temporary files of base older than staleAfter.
func sweep(dir, base string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + ".tmp-"
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// syncDir makes a rename durable where directories can be synced; errors
// are ignored (best effort).
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// ResolveLinks returns the file a replace of path must rewrite so that a
// link stays a link (as git does before it locks a config file): it follows
// symlinks at path, not in its directories, which the rename does not
// affect. A dangling link resolves to its (future) target.
func ResolveLinks(path string) (string, error) {
	p := path
	for i := 0; i < 40; i++ {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}
