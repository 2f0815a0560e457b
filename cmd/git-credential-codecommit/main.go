// Command git-credential-codecommit is git's credential helper for https
// CodeCommit remotes (credential.helper=codecommit).
package main

import (
	"github.com/gitcodecommit/git-codecommit/internal/credhelper"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

func main() { proc.Main(credhelper.Name, true, credhelper.Run) }
