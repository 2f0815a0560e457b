package cli

import (
	"context"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/mfa"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

func init() {
	register(Command{Name: "mfa", Args: "[--profile P] [--serial ARN] [--code N] [--duration D] [--target-profile P-mfa]", Summary: "get MFA session credentials once for git and the AWS CLI", Run: runMFA})
}

func runMFA(ctx context.Context, p *proc.Proc, args []string) error {
	fs := FlagSet(p, "mfa")
	var o mfa.Options
	fs.StringVar(&o.Profile, "profile", "", "profile whose credentials call STS (default: AWS_PROFILE, else default)")
	fs.StringVar(&o.Serial, "serial", "", "MFA device serial number (default: the profile's mfa_serial)")
	fs.StringVar(&o.Code, "code", "", "the device's current 6-digit code (default: ask on the terminal)")
	fs.DurationVar(&o.Duration, "duration", 0, "session lifetime, 15m to 36h (default: STS's, 12h)")
	fs.StringVar(&o.TargetProfile, "target-profile", "", "credentials-file profile to write (default: PROFILE-mfa)")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return failure.UsageError("run 'git codecommit mfa -h'", "unexpected argument %q", pos[0])
	}
	return mfa.Run(ctx, p, o)
}
