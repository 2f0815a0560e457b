// Command git-remote-codecommit is git's remote helper for codecommit:// URLs.
package main

import (
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/remotehelper"
)

func main() { proc.Main(remotehelper.Name, true, remotehelper.Run) }
