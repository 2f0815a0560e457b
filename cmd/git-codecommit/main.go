// Command git-codecommit is `git codecommit`: setup, diagnosis and repository
// commands for AWS CodeCommit, and a local CodeCommit-compatible endpoint.
// Run as git-remote-codecommit (which execs it so for credentials other than
// static keys), it is that remote helper, with the AWS SDK.
package main

import (
	"github.com/gitcodecommit/git-codecommit/internal/cli"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/remotehelper"
	"github.com/gitcodecommit/git-codecommit/internal/remotesdk"
)

func main() {
	if proc.CalledAs(remotehelper.Name) {
		proc.Main(remotehelper.Name, true, remotesdk.Run)
		return
	}
	proc.Main(cli.Name, false, cli.Run)
}
