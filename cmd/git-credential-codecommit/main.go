// Command git-credential-codecommit is git's credential helper for https
// CodeCommit remotes (credential.helper=codecommit).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gitcodecommit/git-codecommit/internal/credhelper"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

func main() {
	p := proc.OS()
	// The SDK's credential_process provider hands os.Stdin to its child;
	// git's request stream must not reach it.
	os.Stdin = proc.DevNull()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := failure.Main(credhelper.Name, p.Stderr, p.Getenv("GIT_TRACE_CODECOMMIT") != "", func() error { return credhelper.Run(ctx, p) })
	stop()
	os.Exit(code)
}
