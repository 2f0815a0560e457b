package doctor

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Command is `git codecommit doctor`.
var Command = command.Command{
	Name:    "doctor",
	Args:    "[REMOTE|URL] [--json] [--profile P] [--region R]",
	Summary: "find why git cannot reach a CodeCommit repository",
	Flags:   flags,
}

func flags(fs *pflag.FlagSet) command.Func {
	var o Options
	fs.BoolVar(&o.JSON, "json", false, "print the report as JSON (schema version 1)")
	fs.StringVar(&o.Profile, "profile", "", "AWS `profile` to check instead of the remote's")
	fs.StringVar(&o.Region, "region", "", "AWS `region` to check instead of the remote's")
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if len(pos) > 1 {
			return command.UsageError(fs, "unexpected argument %q", pos[1])
		}
		if len(pos) == 1 {
			o.Arg = pos[0]
		}
		return Run(ctx, p, o)
	}
}
