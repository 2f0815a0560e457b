//go:build unix

package safefile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
)

// hostile returns the special files every reader must refuse, by name.
func hostile(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil { // sparse: 100 MB on no disk
		t.Fatal(err)
	}
	f.Close()
	out := map[string]string{"directory": dir, "100 MB file": big}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	out["FIFO"] = fifo
	out["/dev/zero"] = "/dev/zero"
	return out
}

func TestReadRefusesHostileFiles(t *testing.T) {
	want := map[string]string{
		"directory":   "not a regular file (directory)",
		"100 MB file": "larger than 4 MiB",
		"FIFO":        "not a regular file (FIFO)",
		"/dev/zero":   "not a regular file (device)",
	}
	for name, path := range hostile(t) {
		t.Run(name, func(t *testing.T) {
			_, err := Read(path, 0)
			if err == nil {
				t.Fatal("read")
			}
			if got := err.Error(); got != path+": "+want[name] || strings.Contains(got, "\n") {
				t.Errorf("error %q, want %q", got, path+": "+want[name])
			}
			if !IsProblem(err) {
				t.Errorf("not a *Error: %T", err)
			}
			if err := Check(path, 0); err == nil || err.Error() != path+": "+want[name] {
				t.Errorf("Check: %v", err)
			}
		})
	}
}

func TestReadRegular(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(p, []byte("[default]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Read(p, 0)
	if err != nil || string(got) != "[default]\n" {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := Read(p, 4); err == nil || err.Error() != p+": larger than 4 bytes" {
		t.Fatalf("cap: %v", err)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing"), 0); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing: %v", err)
	}
	// Through a symbolic link, reading is fine (dotfiles are often links).
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(p, link); err != nil {
		t.Skip(err)
	}
	if _, err := Read(link, 0); err != nil {
		t.Fatal(err)
	}
}

func TestReadAllAndWriter(t *testing.T) {
	if _, err := ReadAll(bytes.NewReader(make([]byte, 11)), "credential_process output", 10); err == nil ||
		err.Error() != "credential_process output: larger than 10 bytes" {
		t.Fatalf("ReadAll: %v", err)
	}
	if b, err := ReadAll(strings.NewReader("ok"), "x", 10); err != nil || string(b) != "ok" {
		t.Fatalf("ReadAll: %q %v", b, err)
	}
	w := &Writer{Name: "out", Limit: 4}
	if n, err := w.Write([]byte("abcd")); n != 4 || err != nil {
		t.Fatal(n, err)
	}
	if _, err := w.Write([]byte("e")); err == nil || err.Error() != "out: larger than 4 bytes" {
		t.Fatalf("Writer: %v", err)
	}
	if string(w.Bytes()) != "abcd" {
		t.Fatal(string(w.Bytes()))
	}
}

func TestOpenNoFollow(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "victim")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "x.lock")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	if _, err := OpenNoFollow(link, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600); err == nil || err.Error() != link+": is a symbolic link; refusing to write through it" {
		t.Fatalf("link: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Fatalf("target changed: %q", b)
	}
	f, err := OpenNoFollow(filepath.Join(dir, "ok.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	fifo := filepath.Join(dir, "fifo.lock")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenNoFollow(fifo, os.O_RDWR|os.O_CREATE, 0o600); err == nil || !strings.Contains(err.Error(), "(FIFO)") {
		t.Fatalf("fifo: %v", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{4 << 20: "4 MiB", 64 << 10: "64 KiB", 100: "100 bytes", 1<<20 + 1: "1048577 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// LimitReader refuses a stream past its cap as Read refuses a file that
// grows past it while being read: streaming readers (awsfiles) share it.
func TestLimitReader(t *testing.T) {
	for _, tc := range []struct {
		size     int
		tooLarge bool
	}{{0, false}, {99, false}, {100, false}, {101, true}, {5000, true}} {
		got, err := io.ReadAll(iotest.HalfReader(LimitReader(strings.NewReader(strings.Repeat("x", tc.size)), "stream", 100)))
		var e *Error
		if isTL := errors.As(err, &e) && e.Problem == TooLarge && e.Path == "stream"; isTL != tc.tooLarge || !tc.tooLarge && (err != nil || len(got) != tc.size) {
			t.Errorf("%d bytes: %d read, %v; want too large %v", tc.size, len(got), err, tc.tooLarge)
		}
	}
	r := LimitReader(strings.NewReader("0123456789"), "stream", 4)
	for range 3 { // read again after the error: the error again, no panic
		var e *Error
		if _, err := r.Read(make([]byte, 8)); !errors.As(err, &e) || e.Problem != TooLarge {
			t.Errorf("a read past the cap = %v, want too large", err)
		}
	}
	if _, err := io.ReadAll(LimitReader(iotest.ErrReader(errors.New("boom")), "stream", 0)); err == nil || err.Error() != "stream: boom" {
		t.Errorf("a read error = %v, want it named", err)
	}
}
