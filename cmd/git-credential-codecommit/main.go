// Command git-credential-codecommit is git's credential helper for https
// CodeCommit remotes (credential.helper=codecommit). It links no AWS SDK:
// its credentials come from filecreds.
package main

import (
	"context"

	"github.com/gitcodecommit/git-codecommit/internal/credhelper"
	"github.com/gitcodecommit/git-codecommit/internal/filecreds"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

func main() {
	proc.Main(credhelper.Name, true, func(ctx context.Context, p *proc.Proc) error {
		return credhelper.Run(ctx, p, filecreds.Helper)
	})
}
