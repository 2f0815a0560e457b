// Command git-codecommit is `git codecommit`: setup, diagnosis and repository
// commands for AWS CodeCommit, and a local CodeCommit-compatible endpoint.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gitcodecommit/git-codecommit/internal/cli"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

func main() {
	p := proc.OS()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := failure.Main(cli.Name, p.Stderr, p.Getenv("GIT_TRACE_CODECOMMIT") != "", func() error { return cli.Run(ctx, p) })
	stop()
	os.Exit(code)
}
