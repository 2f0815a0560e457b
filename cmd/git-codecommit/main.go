// Command git-codecommit is `git codecommit`: setup, diagnosis and repository
// commands for AWS CodeCommit, and a local CodeCommit-compatible endpoint.
package main

import (
	"github.com/gitcodecommit/git-codecommit/internal/cli"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

func main() { proc.Main(cli.Name, false, cli.Run) }
