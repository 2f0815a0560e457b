package cli

import (
	"context"

	"github.com/gitcodecommit/git-codecommit/internal/cloneurl"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

func init() {
	register(Command{Name: "url", Args: "[--https|--grc|--ssh] [--signed] [--profile P] [--region R] REPO|URL", Summary: "print a repository's clone URL", Run: runURL})
}

func runURL(ctx context.Context, p *proc.Proc, args []string) error {
	const hint = "run 'git codecommit url -h'"
	fs := FlagSet(p, "url")
	var o cloneurl.Options
	https := fs.Bool("https", false, "https://HOST/v1/repos/REPO (the default)")
	grc := fs.Bool("grc", false, "codecommit::REGION://[PROFILE@]REPO")
	ssh := fs.Bool("ssh", false, "ssh://git-codecommit.REGION.amazonaws.com/v1/repos/REPO")
	fs.BoolVar(&o.Signed, "signed", false, "an https URL with credentials valid for 15 minutes, for tools that accept nothing else")
	fs.StringVar(&o.Profile, "profile", "", "AWS `profile`")
	fs.StringVar(&o.Region, "region", "", "AWS `region` (default: the profile's)")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	n := 0
	for form, on := range map[cloneurl.Form]bool{cloneurl.HTTPS: *https, cloneurl.Codecommit: *grc, cloneurl.SSH: *ssh} {
		if on {
			o.Form = form
			n++
		}
	}
	if n > 1 {
		return failure.UsageError(hint, "use only one of --https, --grc and --ssh")
	}
	switch len(pos) {
	case 1:
		o.Ref = pos[0]
	case 0:
		return failure.UsageError(hint, "no repository given")
	default:
		return failure.UsageError(hint, "unexpected argument %q", pos[1])
	}
	return cloneurl.Print(ctx, p, o)
}
