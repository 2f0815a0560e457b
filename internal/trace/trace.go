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

// Kind is where a GIT_TRACE-style variable sends its trace.
type Kind int

// The destinations of a GIT_TRACE-style variable.
const (
	Off     Kind = iota // unset, "", "0" or "false"
	FD                  // a file descriptor: "1" and "true" are 2, standard error
	File                // an absolute path, opened for appending
	Unknown             // anything else: git warns and does not trace
)

// Dest is the destination of a GIT_TRACE-style variable.
type Dest struct {
	Kind Kind
	FD   int    // for FD
	Path string // for File
}

// Target reads the value of a GIT_TRACE-style variable exactly as git's
// trace.c (get_trace_fd) does: "", "0" and "false" (any case) are off; "1"
// and "true" are standard error; another single digit is that descriptor;
// an absolute path is a file; anything else traces nothing. It is the one
// home of that rule, for GIT_TRACE_CODECOMMIT and for git's own variables
// (GIT_TRACE_CURL) whose effect the helpers must predict.
func Target(v string) Dest {
	switch {
	case v == "" || v == "0" || strings.EqualFold(v, "false"):
		return Dest{Kind: Off}
	case v == "1" || strings.EqualFold(v, "true"):
		return Dest{Kind: FD, FD: 2}
	case len(v) == 1 && v[0] >= '0' && v[0] <= '9':
		return Dest{Kind: FD, FD: int(v[0] - '0')}
	case filepath.IsAbs(v):
		return Dest{Kind: File, Path: v}
	}
	return Dest{Kind: Unknown}
}

// On reports whether git traces to d.
func (d Dest) On() bool { return d.Kind == FD || d.Kind == File }

// New returns a tracer for the value of GIT_TRACE_CODECOMMIT, by git's rule
// (Target); for this variable of ours, surrounding blanks are ignored and
// "yes"/"on" and "no"/"off" are accepted too. A bad value is reported on
// stderr and gives a nil tracer. name prefixes every line (the program name).
func New(value string, stderr io.Writer, now func() time.Time, name string) *Tracer {
	if now == nil {
		now = time.Now
	}
	v := strings.TrimSpace(value)
	switch strings.ToLower(v) {
	case "no", "off":
		v = ""
	case "yes", "on":
		v = "1"
	}
	d := Target(v)
	switch {
	case d.Kind == Off:
		return nil
	case d.Kind == FD && d.FD == 2:
		return &Tracer{w: stderr, now: now, name: name}
	case d.Kind == FD && d.FD >= 3:
		f := os.NewFile(uintptr(d.FD), "trace-fd")
		return &Tracer{w: f, now: now, name: name}
	case d.Kind == File:
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
