package repocmd

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// The repository commands.
var (
	CreateCommand = command.Command{Name: "create", Args: "NAME [--description D] [--remote R] [--profile P] [--region R] [--json]", Summary: "create a repository (and add it as a remote)", Flags: createFlags}
	ListCommand   = command.Command{Name: "list", Args: "[--profile P] [--region R] [--json]", Summary: "list the region's repositories", Flags: listFlags}
	InfoCommand   = command.Command{Name: "info", Args: "NAME [--profile P] [--region R] [--json]", Summary: "show a repository's ARN, clone URLs and default branch", Flags: infoFlags}
	DeleteCommand = command.Command{Name: "delete", Args: "NAME [--yes] [--profile P] [--region R]", Summary: "delete a repository (asks to type its name)", Flags: deleteFlags}
)

// repoFlags adds --profile and --region to fs.
func repoFlags(fs *pflag.FlagSet) *Options {
	o := &Options{}
	command.ProfileFlag(fs, &o.Profile, "AWS `profile`")
	command.RegionFlag(fs, &o.Region, "AWS `region`")
	return o
}

// jsonFlag adds --json.
func jsonFlag(fs *pflag.FlagSet, o *Options) {
	fs.BoolVar(&o.JSON, "json", false, "print as JSON (schema version 1)")
}

// wantArgs checks the number of positional arguments.
func wantArgs(fs *pflag.FlagSet, pos []string, want int) error {
	switch {
	case len(pos) < want:
		return command.UsageError(fs, "missing repository name")
	case len(pos) > want:
		return command.UsageError(fs, "unexpected argument %q", pos[want])
	}
	return nil
}

func createFlags(fs *pflag.FlagSet) command.Func {
	o := repoFlags(fs)
	jsonFlag(fs, o)
	desc := fs.String("description", "", "repository description")
	remote := fs.String("remote", "", "add the new repository as this `remote` of the current repository")
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if err := wantArgs(fs, pos, 1); err != nil {
			return err
		}
		return Create(ctx, p, *o, pos[0], *desc, *remote)
	}
}

func listFlags(fs *pflag.FlagSet) command.Func {
	o := repoFlags(fs)
	jsonFlag(fs, o)
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if err := wantArgs(fs, pos, 0); err != nil {
			return err
		}
		return List(ctx, p, *o)
	}
}

func infoFlags(fs *pflag.FlagSet) command.Func {
	o := repoFlags(fs)
	jsonFlag(fs, o)
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if err := wantArgs(fs, pos, 1); err != nil {
			return err
		}
		return Info(ctx, p, *o, pos[0])
	}
}

func deleteFlags(fs *pflag.FlagSet) command.Func {
	o := repoFlags(fs)
	yes := fs.Bool("yes", false, "do not ask to type the name")
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if err := wantArgs(fs, pos, 1); err != nil {
			return err
		}
		return Delete(ctx, p, *o, pos[0], *yes)
	}
}
