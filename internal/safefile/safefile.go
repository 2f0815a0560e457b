// Package safefile reads the files the toolset takes credentials and
// settings from (the AWS config and credentials files, cache entries, SSO,
// login and web-identity token files) and the output of credential
// processes, so that a hostile or mistaken path can neither hang nor crash a
// program: a file is opened without blocking (a FIFO does not wait for a
// writer), read only when it is a regular file, and only up to a size cap.
// It also opens the cache's own lock files for writing without following a
// symbolic link. Every failure is one line naming the file and what is wrong,
// e.g. "/home/u/.aws/config: not a regular file (FIFO)".
//
// Its scope is the checks on one file; where files are and what they mean
// belong to their readers (awsfiles, credcache, awscreds).
package safefile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxSize is the largest file the toolset reads: 4 MiB. A 3,000-profile
// generated AWS config is about 400 KB; callers may pass a smaller cap.
const MaxSize = 4 << 20

// Problem is what is wrong with a file.
type Problem int

const (
	// NotRegular: a FIFO, device, directory or socket.
	NotRegular Problem = iota + 1
	// TooLarge: more bytes than the cap.
	TooLarge
	// Symlink: a file to be written is a symbolic link.
	Symlink
)

// Error is a file the toolset refuses to read or write.
type Error struct {
	Path    string
	Problem Problem
	Kind    string // for NotRegular: "FIFO", "directory", "device", "socket"
	Limit   int64  // for TooLarge
}

func (e *Error) Error() string {
	switch e.Problem {
	case NotRegular:
		return fmt.Sprintf("%s: not a regular file (%s)", e.Path, e.Kind)
	case TooLarge:
		return fmt.Sprintf("%s: larger than %s", e.Path, Size(e.Limit))
	case Symlink:
		return fmt.Sprintf("%s: is a symbolic link; refusing to write through it", e.Path)
	}
	return e.Path + ": unusable file"
}

// Size formats a byte count as the error messages do: "4 MiB", "64 KiB",
// "100 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "FIFO"
	case m.IsDir():
		return "directory"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "device"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	}
	return "special file"
}

// Open opens path for reading without blocking on a FIFO and returns it
// only if it is a regular file no larger than limit bytes (limit <= 0 or
// above MaxSize means MaxSize). Errors of the open itself are returned as
// the *fs.PathError os gives, so errors.Is(err, fs.ErrNotExist) works.
func Open(path string, limit int64) (*os.File, error) {
	limit = capOf(limit)
	f, err := openRead(path)
	if err != nil {
		return nil, err
	}
	fi, err := regular(f, path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > limit {
		f.Close()
		return nil, &Error{Path: path, Problem: TooLarge, Limit: limit}
	}
	return f, nil
}

// Read returns the contents of path, checked as Open checks it; a file that
// grows past limit while being read is refused too.
func Read(path string, limit int64) ([]byte, error) {
	limit = capOf(limit)
	f, err := Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// One allocation of the file's size: a file read by doubling costs
	// more than parsing it.
	var b bytes.Buffer
	if fi, err := f.Stat(); err == nil && fi.Size() < limit {
		b.Grow(int(fi.Size()) + 512)
	}
	if _, err := b.ReadFrom(LimitReader(f, path, limit)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// LimitReader reads r (the file or stream name) and fails once it has
// yielded more than limit bytes (<= 0: MaxSize) with a TooLarge *Error
// naming it; an error of r is returned naming it too. For readers that
// stream a file instead of keeping it (awsfiles): a file that grows past
// the cap while being read is refused as Read refuses it.
func LimitReader(r io.Reader, name string, limit int64) io.Reader {
	return &limitReader{r: r, name: name, limit: capOf(limit)}
}

type limitReader struct {
	r     io.Reader
	name  string
	limit int64
	n     int64 // bytes yielded
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n > l.limit {
		return 0, &Error{Path: l.name, Problem: TooLarge, Limit: l.limit}
	}
	if int64(len(p)) > l.limit+1-l.n {
		p = p[:l.limit+1-l.n] // one byte past the cap tells a file that is too large
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.limit {
		return 0, &Error{Path: l.name, Problem: TooLarge, Limit: l.limit}
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %w", l.name, err)
	}
	return n, err
}

// Check reports whether path is readable as Read would read it, without
// keeping its contents: for files another library opens by name (the AWS
// SDK's). A missing file is the *fs.PathError of os.
func Check(path string, limit int64) error {
	f, err := Open(path, limit)
	if err != nil {
		return err
	}
	return f.Close()
}

// ReadAll reads r up to limit bytes (<= 0: MaxSize); more is a TooLarge
// *Error naming name. For pipes such as a credential process's stdout.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	return io.ReadAll(LimitReader(r, name, limit))
}

// Writer is an io.Writer that keeps up to Limit bytes (<= 0: MaxSize) and
// then fails: for a child's stdout, so that a process printing without end
// is stopped instead of filling memory.
type Writer struct {
	Name  string
	Limit int64
	buf   []byte
	err   error
}

// Write implements io.Writer.
func (w *Writer) Write(p []byte) (int, error) {
	limit := capOf(w.Limit)
	if int64(len(w.buf)+len(p)) > limit {
		w.err = &Error{Path: w.Name, Problem: TooLarge, Limit: limit}
		return 0, w.err
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// Err is the TooLarge *Error once a write went past the cap, else nil:
// the writer of a child may see only the child's exit status.
func (w *Writer) Err() error { return w.err }

// Bytes returns what was written.
func (w *Writer) Bytes() []byte { return w.buf }

// OpenNoFollow opens path with flag (os.O_RDWR|os.O_CREATE, …) and perm,
// refusing a symbolic link in its last element and anything but a regular
// file: for lock and cache files, which another local user or a planted link
// must not redirect.
func OpenNoFollow(path string, flag int, perm fs.FileMode) (*os.File, error) {
	f, err := openNoFollow(path, flag, perm)
	if err != nil {
		if isLoop(err) {
			return nil, &Error{Path: path, Problem: Symlink}
		}
		return nil, err
	}
	if _, err := regular(f, path); err != nil {
		return nil, err
	}
	return f, nil
}

// regular returns what f is when it is a regular file; otherwise it closes
// f and says what it is instead.
func regular(f *os.File, path string) (fs.FileInfo, error) {
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &Error{Path: path, Problem: NotRegular, Kind: kind(fi.Mode())}
	}
	return fi, nil
}

func capOf(limit int64) int64 {
	if limit <= 0 || limit > MaxSize {
		return MaxSize
	}
	return limit
}

// IsProblem reports whether err is (or wraps) a safefile *Error.
func IsProblem(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
