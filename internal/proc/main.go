package proc

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
)

// Main is the whole of a program's main: it fills a Proc from the operating
// system, cancels the context on SIGINT or SIGTERM, runs run, reports its
// error (or a panic) as one line on standard error and exits with its code.
//
// For the helpers, whose standard input is git's protocol stream, gitStdin
// points os.Stdin at the null device once the stream is captured in the
// Proc: the SDK's credential_process provider hands os.Stdin to its child,
// which must never read git's stream.
func Main(name string, gitStdin bool, run func(context.Context, *Proc) error) {
	p := OS()
	if gitStdin {
		os.Stdin = DevNull()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := failure.Main(name, p.Stderr, p.Getenv("GIT_TRACE_CODECOMMIT") != "", func() error { return run(ctx, p) })
	stop()
	os.Exit(code)
}

// CalledAs reports whether this process was started under the program name
// name (its argv[0], without directory or .exe).
func CalledAs(name string) bool {
	return len(os.Args) > 0 && strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe") == name
}
