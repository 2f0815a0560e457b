// Command git-remote-codecommit is git's remote helper for codecommit:// URLs.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/remotehelper"
)

func main() {
	p := proc.OS()
	// The SDK's credential_process provider hands os.Stdin to its child;
	// git's protocol stream must not reach it.
	os.Stdin = proc.DevNull()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := failure.Main(remotehelper.Name, p.Stderr, p.Getenv("GIT_TRACE_CODECOMMIT") != "", func() error { return remotehelper.Run(ctx, p) })
	stop()
	os.Exit(code)
}
