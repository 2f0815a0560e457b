package cli

import (
	"context"
	"flag"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/repocmd"
)

func init() {
	register(Command{Name: "create", Args: "NAME [--description D] [--remote R] [--profile P] [--region R]", Summary: "create a repository (and add it as a remote)", Run: runCreate})
	register(Command{Name: "list", Args: "[--profile P] [--region R]", Summary: "list the region's repositories", Run: runList})
	register(Command{Name: "info", Args: "NAME [--profile P] [--region R]", Summary: "show a repository's ARN, clone URLs and default branch", Run: runInfo})
	register(Command{Name: "delete", Args: "NAME [--yes] [--profile P] [--region R]", Summary: "delete a repository (asks to type its name)", Run: runDelete})
}

// repoFlags adds --profile and --region to fs.
func repoFlags(fs *flag.FlagSet) *repocmd.Options {
	o := &repocmd.Options{}
	fs.StringVar(&o.Profile, "profile", "", "AWS profile (default: AWS_PROFILE, else default)")
	fs.StringVar(&o.Region, "region", "", "AWS region (default: the profile's, AWS_REGION)")
	return o
}

// parseRepo parses args and checks the number of positional arguments.
func parseRepo(fs *flag.FlagSet, name string, args []string, want int) ([]string, error) {
	pos, err := Parse(fs, args)
	if err != nil {
		return nil, err
	}
	switch {
	case len(pos) < want:
		return nil, failure.UsageError("run 'git codecommit "+name+" -h'", "missing repository name")
	case len(pos) > want:
		return nil, failure.UsageError("run 'git codecommit "+name+" -h'", "unexpected argument %q", pos[want])
	}
	return pos, nil
}

func runCreate(ctx context.Context, p *proc.Proc, args []string) error {
	fs := FlagSet(p, "create")
	o := repoFlags(fs)
	desc := fs.String("description", "", "repository description")
	remote := fs.String("remote", "", "add the new repository as this remote of the current repository")
	pos, err := parseRepo(fs, "create", args, 1)
	if err != nil {
		return err
	}
	return repocmd.Create(ctx, p, *o, pos[0], *desc, *remote)
}

func runList(ctx context.Context, p *proc.Proc, args []string) error {
	fs := FlagSet(p, "list")
	o := repoFlags(fs)
	if _, err := parseRepo(fs, "list", args, 0); err != nil {
		return err
	}
	return repocmd.List(ctx, p, *o)
}

func runInfo(ctx context.Context, p *proc.Proc, args []string) error {
	fs := FlagSet(p, "info")
	o := repoFlags(fs)
	pos, err := parseRepo(fs, "info", args, 1)
	if err != nil {
		return err
	}
	return repocmd.Info(ctx, p, *o, pos[0])
}

func runDelete(ctx context.Context, p *proc.Proc, args []string) error {
	fs := FlagSet(p, "delete")
	o := repoFlags(fs)
	yes := fs.Bool("yes", false, "do not ask to type the name")
	pos, err := parseRepo(fs, "delete", args, 1)
	if err != nil {
		return err
	}
	return repocmd.Delete(ctx, p, *o, pos[0], *yes)
}
