package cli

import (
	"context"

	"github.com/gitcodecommit/git-codecommit/internal/clone"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

func init() {
	register(Command{Name: "clone", Args: "[--profile P] [--region R] [--https] REPO|URL [DIR]", Summary: "clone a repository bound to its own profile", Run: runClone})
}

func runClone(ctx context.Context, p *proc.Proc, args []string) error {
	const hint = "run 'git codecommit clone -h'"
	fs := FlagSet(p, "clone")
	var o clone.Options
	fs.StringVar(&o.Profile, "profile", "", "AWS `profile` for this repository only")
	fs.StringVar(&o.Region, "region", "", "AWS `region` (default: the profile's)")
	fs.BoolVar(&o.HTTPS, "https", false, "an https remote with the credential helper configured for it, instead of codecommit://")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 2:
		o.Dir = pos[1]
		fallthrough
	case 1:
		o.Ref = pos[0]
	case 0:
		return failure.UsageError(hint, "no repository given")
	default:
		return failure.UsageError(hint, "unexpected argument %q", pos[2])
	}
	return clone.Run(ctx, p, o)
}
