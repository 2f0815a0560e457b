package clone

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Command is `git codecommit clone`.
var Command = command.Command{
	Name:    "clone",
	Args:    "[--profile P] [--region R] [--https|--ssh] [GIT-CLONE-OPTIONS] REPO|URL [DIR] [-- GIT-CLONE-ARGS]",
	Summary: "clone a repository bound to its own profile",
	Flags:   flags,
}

func flags(fs *pflag.FlagSet) command.Func {
	var o Options
	command.ProfileFlag(fs, &o.Profile, "AWS `profile` for this repository only")
	command.RegionFlag(fs, &o.Region, "AWS `region`")
	fs.BoolVar(&o.HTTPS, "https", false, "an https remote with the credential helper configured for it, instead of codecommit://")
	fs.BoolVar(&o.SSH, "ssh", false, "an ssh:// remote (needs git codecommit ssh setup: an IAM user's SSH key)")
	gitFlags(fs, &o.Git)
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if o.HTTPS && o.SSH {
			return command.UsageError(fs, "use only one of --https and --ssh")
		}
		// Whatever follows "--" is git clone's, unchanged.
		if at := fs.ArgsLenAtDash(); at >= 0 {
			o.Git = append(o.Git, pos[at:]...)
			pos = pos[:at]
		}
		switch len(pos) {
		case 2:
			o.Dir = pos[1]
			fallthrough
		case 1:
			o.Ref = pos[0]
		case 0:
			return command.UsageError(fs, "no repository given")
		default:
			return command.UsageError(fs, "unexpected argument %q", pos[2])
		}
		return Run(ctx, p, o)
	}
}
