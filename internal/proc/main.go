package proc

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

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
	ctx, cancel := context.WithCancel(context.Background())
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigc
		cancel()
		// run ends itself, its children and its locks on the cancelled
		// context; should anything not honour it, the program still ends
		// within a second of the signal.
		time.Sleep(SignalGrace)
		fmt.Fprintf(p.Stderr, "%s: interrupted by %v\n", name, sig)
		os.Exit(SignalStatus(sig))
	}()
	code := failure.Main(name, p.Stderr, p.Getenv("GIT_TRACE_CODECOMMIT") != "", func() error { return run(ctx, p) })
	signal.Stop(sigc)
	cancel()
	os.Exit(code)
}

// SignalGrace is how long a program has, after SIGINT or SIGTERM, to end by
// itself (children and locks included) before Main ends it: well within
// the 1 second the README promises.
const SignalGrace = 600 * time.Millisecond

// SignalStatus is the exit status of a program ended by sig, as a shell
// reports it: 128 + the signal number.
func SignalStatus(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}

// CalledAs reports whether this process was started under the program name
// name (its argv[0], without directory or .exe).
func CalledAs(name string) bool {
	return len(os.Args) > 0 && strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe") == name
}
