package setup

import (
	"context"
	"fmt"
	"slices"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/spf13/pflag"
)

// Command is `git codecommit setup`.
var Command = command.Command{
	Name:    "setup",
	Args:    "[--global|--system|--local|--file F] [--profile P] [--undo] [--dry-run]",
	Summary: "configure git for https CodeCommit remotes (credential helper)",
	Flags:   flags,
}

func flags(fs *pflag.FlagSet) command.Func {
	global := fs.Bool("global", false, "write the user's global git config (the default)")
	system := fs.Bool("system", false, "write the system git config")
	local := fs.Bool("local", false, "write the current repository's config")
	file := fs.String("file", "", "write this git config `file`")
	var profile string
	command.ProfileFlag(fs, &profile, "AWS `profile` the credential helper uses")
	undo := fs.Bool("undo", false, "remove what setup added, and nothing else")
	dry := fs.Bool("dry-run", false, "print the change as a diff without writing")
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if err := command.NoArgs(fs, pos); err != nil {
			return err
		}
		o := Options{Profile: profile, HelperPath: gitconfig.HelperPath(p), Undo: *undo, DryRun: *dry, Out: p.Stdout, Env: p.Getenv, File: *file}
		n := 0
		for scope, on := range map[string]bool{"global": *global, "system": *system, "local": *local, "file": *file != ""} {
			if on {
				o.Scope = scope
				n++
			}
		}
		if n > 1 {
			return command.UsageError(fs, "use only one of --global, --system, --local and --file")
		}
		if err := (gitconfig.Helper{Profile: profile}).Validate(); err != nil {
			return command.UsageError(fs, "--profile: %v", err)
		}
		if profile != "" && !*undo {
			// As clone does: a helper for a profile that does not exist
			// would fail on every git command.
			files := awsfiles.FilesFor(p.Getenv)
			if avail := files.Profiles(); !slices.Contains(avail, profile) {
				return &awscreds.ProfileNotFoundError{Profile: profile, Available: avail, Files: []string{files.Config, files.Credentials}}
			}
		}
		if err := Run(ctx, gitexec.Exec{Proc: p}, o); err != nil {
			return err
		}
		if o.HelperPath == "" && !*undo {
			// The name form: git runs `git credential-codecommit`, which
			// finds the helper on PATH.
			if _, ok := p.LookPath(gitconfig.HelperProgram); !ok {
				fmt.Fprintln(p.Stderr, "warning: "+gitconfig.HelperProgram+" is not on PATH: git cannot run the helper until it is (run make install in a checkout of git-codecommit)")
			} else if gitconfig.RunsByPath {
				fmt.Fprintln(p.Stderr, "note: no "+gitconfig.HelperProgram+" beside this git-codecommit, so the helper is configured by name and git finds it on PATH through its git wrapper (install all three programs together, then rerun git codecommit setup)")
			}
		}
		return nil
	}
}
