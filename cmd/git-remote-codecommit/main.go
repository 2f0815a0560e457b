// Command git-remote-codecommit is git's remote helper for codecommit:// URLs.
// It links no AWS SDK: its credentials come from filecreds.
package main

import (
	"context"

	"github.com/gitcodecommit/git-codecommit/internal/filecreds"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/remotehelper"
)

func main() {
	proc.Main(remotehelper.Name, true, func(ctx context.Context, p *proc.Proc) error {
		return remotehelper.Run(ctx, p, filecreds.Helper)
	})
}
