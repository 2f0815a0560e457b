package credcache

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/atomicfile"
	"github.com/gitcodecommit/git-codecommit/internal/filelock"
	"github.com/gitcodecommit/git-codecommit/internal/safefile"
)

// DefaultMargin is the minimum remaining lifetime for an entry to be reused;
// the AWS CLI uses the same 15 minutes.
const DefaultMargin = 15 * time.Minute

// maxEntrySize bounds what Get reads; real entries are a few KiB.
const maxEntrySize = 1 << 20

// Cache is a directory of cache entries. The zero value is not usable: Dir and
// Now must be set.
type Cache struct {
	Dir     string           // ~/.aws/cli/cache (the caller expands HOME)
	BotoDir string           // ~/.aws/boto/cache, read only; "" = none
	Now     func() time.Time // clock
	Margin  time.Duration    // minimum remaining lifetime; 0 = DefaultMargin
	// LockWait bounds how long GetOrFetch waits for another process's lock
	// (which may be waiting for its user's MFA code); 0 = DefaultLockWait.
	LockWait time.Duration
	// Log is a trace hook, may be nil. It is never given secrets.
	Log func(format string, args ...any)
}

func (c *Cache) logf(format string, args ...any) {
	if c.Log != nil {
		c.Log(format, args...)
	}
}

// DefaultLockWait is how long GetOrFetch waits for the lock of an entry that
// another process is fetching: long enough for a user to type an MFA code.
const DefaultLockWait = 2 * time.Minute

// LockTimeoutError: another process held an entry's lock for longer than
// Cache.LockWait.
type LockTimeoutError struct {
	Path string        // the lock file
	Wait time.Duration // how long GetOrFetch waited
}

func (e *LockTimeoutError) Error() string {
	return fmt.Sprintf("another process has held the credential cache lock %s for more than %s", e.Path, e.Wait)
}

// Hint implements failure.Hinter.
func (e *LockTimeoutError) Hint() string {
	return "another git or aws command is probably waiting for an MFA code: answer or end it, then retry"
}

func (c *Cache) lockWait() time.Duration {
	if c.LockWait <= 0 {
		return DefaultLockWait
	}
	return c.LockWait
}

func (c *Cache) margin() time.Duration {
	if c.Margin <= 0 {
		return DefaultMargin
	}
	return c.Margin
}

// ForHome is the cache of the AWS CLI under home (~/.aws/cli/cache), read
// with the boto cache of AWS's Python helper (~/.aws/boto/cache) behind it;
// nil (no cache) when home is not an absolute path.
func ForHome(home string, now func() time.Time, log func(format string, args ...any)) *Cache {
	if !filepath.IsAbs(home) {
		return nil // never a cache relative to the working directory
	}
	return &Cache{Dir: filepath.Join(home, ".aws", "cli", "cache"), BotoDir: filepath.Join(home, ".aws", "boto", "cache"), Now: now, Log: log}
}

// Get returns a fresh entry for k from Dir, else from BotoDir. Missing,
// unreadable, corrupt or expiring entries are misses (logged), never errors.
func (c *Cache) Get(k Key) (Credentials, bool) {
	name := k.FileName()
	for _, dir := range []string{c.Dir, c.BotoDir} {
		if dir == "" {
			continue
		}
		path := filepath.Join(dir, name)
		cr, err := readEntryFile(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				c.logf("credcache: no entry %s", path)
			} else {
				c.logf("credcache: ignoring entry %s: %v", path, err)
			}
			continue
		}
		now := c.Now()
		if left := cr.Expiration.Sub(now); left < c.margin() {
			c.logf("credcache: entry %s expires at %s (%s left, need %s): miss",
				path, cr.Expiration.Format(time.RFC3339), left.Round(time.Second), c.margin())
			continue
		}
		c.logf("credcache: hit %s (expires %s)", path, cr.Expiration.Format(time.RFC3339))
		return cr, true
	}
	return Credentials{}, false
}

func readEntryFile(path string) (Credentials, error) {
	data, err := safefile.Read(path, maxEntrySize)
	if err != nil {
		return Credentials{}, err
	}
	return readEntry(data)
}

// Put writes cr as the entry for k atomically: a temporary file in Dir (mode
// 0600), fsync, rename. Dir is created with mode 0700 if missing.
func (c *Cache) Put(k Key, cr Credentials) error {
	if c.Dir == "" {
		return errors.New("credcache: no cache directory")
	}
	data, err := marshalEntry(cr)
	if err != nil {
		return fmt.Errorf("credcache: %w", err)
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("credcache: %w", err)
	}
	final := filepath.Join(c.Dir, k.FileName())
	if err := atomicfile.Write(final, data, 0o600); err != nil {
		return fmt.Errorf("credcache: %w", err)
	}
	c.logf("credcache: wrote %s (expires %s)", final, cr.Expiration.UTC().Format(time.RFC3339))
	return nil
}

// Remove deletes the entries for k from Dir and BotoDir (a session that AWS
// rejects, for `git codecommit logout`), under the entry's lock so no
// concurrent fetch rewrites it half-way, and returns the files it removed.
// A missing entry is not an error.
func (c *Cache) Remove(ctx context.Context, k Key) ([]string, error) {
	var removed []string
	if c.Dir != "" {
		if _, err := os.Stat(c.Dir); err == nil {
			unlock, err := c.lock(ctx, k)
			if err != nil {
				return nil, fmt.Errorf("credcache: %w", err)
			}
			defer unlock()
		}
	}
	for _, dir := range []string{c.Dir, c.BotoDir} {
		if dir == "" {
			continue
		}
		path := filepath.Join(dir, k.FileName())
		err := os.Remove(path)
		switch {
		case err == nil:
			removed = append(removed, path)
			c.logf("credcache: removed %s", path)
		case !errors.Is(err, fs.ErrNotExist):
			return removed, fmt.Errorf("credcache: %w", err)
		}
	}
	return removed, nil
}

// GetOrFetch returns a fresh cached entry for k, or calls fetch and caches
// its result. On a miss it takes a cross-process lock (NAME.lock beside the
// entry) so that concurrent processes call fetch once; it re-checks the cache
// once it holds the lock. Waiting for the lock honours ctx and ends after
// LockWait with a *LockTimeoutError. The cache is
// best effort: an unwritable directory or a failing lock is logged and fetch
// proceeds. fromCache reports whether the result came from the cache.
func (c *Cache) GetOrFetch(ctx context.Context, k Key, fetch func(context.Context) (Credentials, error)) (cr Credentials, fromCache bool, err error) {
	if cr, ok := c.Get(k); ok {
		return cr, true, nil
	}
	lctx, cancel := context.WithTimeout(ctx, c.lockWait())
	unlock, err := c.lock(lctx, k)
	cancel()
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return Credentials{}, false, fmt.Errorf("credcache: waiting for lock: %w", ctxErr)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return Credentials{}, false, &LockTimeoutError{Path: filepath.Join(c.Dir, k.FileName()+".lock"), Wait: c.lockWait()}
		}
		c.logf("credcache: proceeding without lock: %v", err)
	} else {
		defer unlock()
		if cr, ok := c.Get(k); ok {
			return cr, true, nil
		}
	}
	cr, err = fetch(ctx)
	if err != nil {
		return Credentials{}, false, err
	}
	if err := c.Put(k, cr); err != nil {
		c.logf("credcache: not cached: %v", err)
	}
	return cr, false, nil
}

// lock takes the cross-process lock for k (see package filelock).
func (c *Cache) lock(ctx context.Context, k Key) (func(), error) {
	if c.Dir == "" {
		return nil, errors.New("no cache directory")
	}
	path := filepath.Join(c.Dir, k.FileName()+".lock")
	return filelock.Lock(ctx, path, func() { c.logf("credcache: waiting for %s (held by another process)", path) })
}
