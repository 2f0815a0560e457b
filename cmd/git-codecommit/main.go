// Command git-codecommit is `git codecommit`: setup, diagnosis and repository
// commands for AWS CodeCommit, and a local CodeCommit-compatible endpoint.
// Run as git-remote-codecommit or git-credential-codecommit (which hand over
// to it so for credentials other than static keys and fresh cached roles),
// it is that helper with awscreds' credential provider, the AWS SDK's.
package main

import (
	"context"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/cli"
	"github.com/gitcodecommit/git-codecommit/internal/credhelper"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/remotehelper"
)

func main() {
	switch {
	case proc.CalledAs(remotehelper.Name):
		proc.Main(remotehelper.Name, true, func(ctx context.Context, p *proc.Proc) error {
			return remotehelper.Run(ctx, p, awscreds.Helper)
		})
		return
	case proc.CalledAs(credhelper.Name):
		proc.Main(credhelper.Name, true, func(ctx context.Context, p *proc.Proc) error {
			return credhelper.Run(ctx, p, awscreds.Helper)
		})
		return
	}
	proc.Main(cli.Name, false, cli.Run)
}
