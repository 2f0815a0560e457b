// Package trace writes GIT_TRACE-style diagnostics for the CodeCommit helpers,
// following git's conventions for GIT_TRACE_* variables: unset, empty, "0" or
// "false" is off; "1", "2" or "true" is standard error; "3" to "9" is that
// file descriptor; an absolute path is a file opened for appending. Anything
// else is a mistake reported once and treated as off, as git does.
//
// Every line is escaped with failure.Escape: names from the environment,
// files and servers reach a trace as they reach errors, never as control
// characters. Callers never pass secrets: the helpers pass access keys through Key, which
// keeps only the last four characters.
package trace

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
)

// EnvVar is the variable that turns tracing on.
const EnvVar = "GIT_TRACE_CODECOMMIT"

// Tracer writes trace lines. A nil *Tracer is valid and writes nothing.
type Tracer struct {
	mu   sync.Mutex
	w    io.Writer
	c    io.Closer
	now  func() time.Time
	name string
}

// New returns a tracer for the value of GIT_TRACE_CODECOMMIT, writing to
// stderr for "1", "2" and "true". A bad value is reported on stderr and gives
// a nil tracer. name prefixes every line (the program name).
func New(value string, stderr io.Writer, now func() time.Time, name string) *Tracer {
	if now == nil {
		now = time.Now
	}
	v := strings.TrimSpace(value)
	switch strings.ToLower(v) {
	case "", "0", "false", "no", "off":
		return nil
	case "1", "2", "true", "yes", "on":
		return &Tracer{w: stderr, now: now, name: name}
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 3 && n <= 9 {
		f := os.NewFile(uintptr(n), "trace-fd")
		return &Tracer{w: f, now: now, name: name}
	}
	if filepath.IsAbs(v) {
		f, err := os.OpenFile(v, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			fmt.Fprintf(stderr, "warning: could not open '%s' for tracing: %s\n", failure.Escape(v), failure.Escape(err.Error()))
			return nil
		}
		return &Tracer{w: f, c: f, now: now, name: name}
	}
	fmt.Fprintf(stderr, "warning: unknown trace value for '%s': %s\n         If you want to trace into a file, then please set %s\n         to an absolute pathname (starting with /)\n", EnvVar, failure.Escape(v), EnvVar)
	return nil
}

// Enabled reports whether t writes anything.
func (t *Tracer) Enabled() bool { return t != nil }

// Printf writes one trace line, in git's layout: time, then the message.
func (t *Tracer) Printf(format string, args ...any) {
	if t == nil {
		return
	}
	msg := failure.Escape(fmt.Sprintf(format, args...))
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, "%s %s: %s\n", t.now().Format("15:04:05.000000"), t.name, msg)
}

// Writer returns an io.Writer whose every line becomes a trace line, or
// io.Discard when t is nil. It suits libraries that log through a writer.
func (t *Tracer) Writer() io.Writer {
	if t == nil {
		return io.Discard
	}
	return writerFunc(func(p []byte) (int, error) {
		for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
			t.Printf("%s", line)
		}
		return len(p), nil
	})
}

// Close closes a trace file opened by New.
func (t *Tracer) Close() error {
	if t == nil || t.c == nil {
		return nil
	}
	return t.c.Close()
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Key shows an access key id by its last four characters only.
func Key(accessKeyID string) string {
	if len(accessKeyID) <= 4 {
		return "****"
	}
	return "****" + accessKeyID[len(accessKeyID)-4:]
}
