// Command git-codecommit is `git codecommit`: setup, diagnosis and repository
// commands for AWS CodeCommit, and a local CodeCommit-compatible endpoint.
// Run as git-remote-codecommit or git-credential-codecommit (which hand over
// to it so for credentials other than static keys and fresh cached roles),
// it is that helper, with the AWS SDK.
package main

import (
	"github.com/gitcodecommit/git-codecommit/internal/cli"
	"github.com/gitcodecommit/git-codecommit/internal/credhelper"
	"github.com/gitcodecommit/git-codecommit/internal/credsdk"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/remotehelper"
	"github.com/gitcodecommit/git-codecommit/internal/remotesdk"
)

func main() {
	switch {
	case proc.CalledAs(remotehelper.Name):
		proc.Main(remotehelper.Name, true, remotesdk.Run)
		return
	case proc.CalledAs(credhelper.Name):
		proc.Main(credhelper.Name, true, credsdk.Run)
		return
	}
	proc.Main(cli.Name, false, cli.Run)
}
