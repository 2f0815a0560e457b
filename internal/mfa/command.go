package mfa

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Command is `git codecommit mfa`.
var Command = command.Command{
	Name:    "mfa",
	Args:    "[--profile P] [--serial ARN] [--code N] [--duration D] [--refresh] [--target-profile P-mfa [--force]] [--json]",
	Summary: "get MFA session credentials once for git and the AWS CLI",
	Flags:   flags,
}

func flags(fs *pflag.FlagSet) command.Func {
	var o Options
	command.ProfileFlag(fs, &o.Profile, "`profile` whose credentials call STS")
	fs.StringVar(&o.Serial, "serial", "", "MFA device serial number (`ARN`; default: the profile's mfa_serial)")
	fs.StringVar(&o.Code, "code", "", "the device's current 6-digit `code` (default: ask on the terminal)")
	fs.DurationVar(&o.Duration, "duration", 0, "session lifetime, 15m to 36h (default: STS's, 12h)")
	fs.StringVar(&o.TargetProfile, "target-profile", "", "credentials-file `profile` to write (default: PROFILE-mfa)")
	fs.BoolVar(&o.Force, "force", false, "replace a target profile that holds long-term keys or that mfa did not write (the file is backed up first)")
	fs.BoolVar(&o.Refresh, "refresh", false, "role profile: remove its chain's cached sessions first, so the role is assumed again (see git codecommit logout)")
	fs.BoolVar(&o.JSON, "json", false, "print as JSON (schema version 1)")
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if err := command.NoArgs(fs, pos); err != nil {
			return err
		}
		return Run(ctx, p, o)
	}
}
