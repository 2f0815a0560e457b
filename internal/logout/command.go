package logout

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Command is `git codecommit logout`.
var Command = command.Command{
	Name:    "logout",
	Args:    "[--profile P]",
	Summary: "forget the cached role sessions of a profile",
	Flags:   flags,
}

func flags(fs *pflag.FlagSet) command.Func {
	var profile string
	command.ProfileFlag(fs, &profile, "`profile` whose role sessions to remove")
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if err := command.NoArgs(fs, pos); err != nil {
			return err
		}
		return Run(ctx, p, profile)
	}
}
