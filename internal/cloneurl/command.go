package cloneurl

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Command is `git codecommit url`.
var Command = command.Command{
	Name:    "url",
	Args:    "[--https|--grc|--ssh] [--signed] [--profile P] [--region R] [--json] REPO|URL",
	Summary: "print a repository's clone URL",
	Flags:   flags,
}

func flags(fs *pflag.FlagSet) command.Func {
	var o Options
	https := fs.Bool("https", false, "https://HOST/v1/repos/REPO (the default)")
	grc := fs.Bool("grc", false, "codecommit::REGION://[PROFILE@]REPO")
	ssh := fs.Bool("ssh", false, "ssh://git-codecommit.REGION.amazonaws.com/v1/repos/REPO")
	fs.BoolVar(&o.Signed, "signed", false, "an https URL with credentials valid for 15 minutes, for tools that accept nothing else")
	command.ProfileFlag(fs, &o.Profile, "AWS `profile`")
	command.RegionFlag(fs, &o.Region, "AWS `region`")
	fs.BoolVar(&o.JSON, "json", false, "print as JSON (schema version 1)")
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		n := 0
		for form, on := range map[Form]bool{HTTPS: *https, Codecommit: *grc, SSH: *ssh} {
			if on {
				o.Form = form
				n++
			}
		}
		if n > 1 {
			return command.UsageError(fs, "use only one of --https, --grc and --ssh")
		}
		switch len(pos) {
		case 1:
			o.Ref = pos[0]
		case 0:
			return command.UsageError(fs, "no repository given")
		default:
			return command.UsageError(fs, "unexpected argument %q", pos[1])
		}
		return Print(ctx, p, o)
	}
}
