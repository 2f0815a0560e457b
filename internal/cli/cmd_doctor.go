package cli

import (
	"context"

	"github.com/gitcodecommit/git-codecommit/internal/doctor"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

func init() {
	register(Command{Name: "doctor", Args: "[REMOTE|URL] [--json] [--profile P] [--region R]", Summary: "find why git cannot reach a CodeCommit repository", Run: runDoctor})
}

func runDoctor(ctx context.Context, p *proc.Proc, args []string) error {
	fs := FlagSet(p, "doctor")
	var o doctor.Options
	fs.BoolVar(&o.JSON, "json", false, "print the report as JSON (schema version 1)")
	fs.StringVar(&o.Profile, "profile", "", "AWS profile to check instead of the remote's")
	fs.StringVar(&o.Region, "region", "", "AWS region to check instead of the remote's")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return failure.UsageError("run 'git codecommit doctor -h'", "unexpected argument %q", pos[1])
	}
	if len(pos) == 1 {
		o.Arg = pos[0]
	}
	return doctor.Run(ctx, p, o)
}
