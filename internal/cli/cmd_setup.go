package cli

import (
	"context"
	"fmt"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/setup"
)

func init() {
	register(Command{Name: "setup", Args: "[--global|--system|--local|--file F] [--profile P] [--undo] [--dry-run]", Summary: "configure git for https CodeCommit remotes (credential helper)", Run: runSetup})
}

func runSetup(ctx context.Context, p *proc.Proc, args []string) error {
	const hint = "run 'git codecommit setup -h'"
	fs := FlagSet(p, "setup")
	global := fs.Bool("global", false, "write the user's global git config (the default)")
	system := fs.Bool("system", false, "write the system git config")
	local := fs.Bool("local", false, "write the current repository's config")
	file := fs.String("file", "", "write this git config `file`")
	profile := fs.String("profile", "", "AWS `profile` the credential helper uses (default: AWS_PROFILE, else default)")
	undo := fs.Bool("undo", false, "remove what setup added, and nothing else")
	dry := fs.Bool("dry-run", false, "print the change as a diff without writing")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return failure.UsageError(hint, "unexpected argument %q", pos[0])
	}
	o := setup.Options{Profile: *profile, Undo: *undo, DryRun: *dry, Out: p.Stdout, Env: p.Getenv, File: *file}
	n := 0
	for scope, on := range map[string]bool{"global": *global, "system": *system, "local": *local, "file": *file != ""} {
		if on {
			o.Scope = scope
			n++
		}
	}
	if n > 1 {
		return failure.UsageError(hint, "use only one of --global, --system, --local and --file")
	}
	if err := setup.ValidateProfile(*profile); err != nil {
		return failure.UsageError(hint, "--profile: %v", err)
	}
	if err := setup.Run(ctx, setup.ExecRunner{Env: p.Environ, Dir: p.Dir}, o); err != nil {
		return err
	}
	if _, ok := p.LookPath("git-credential-codecommit"); !ok && !*undo {
		fmt.Fprintln(p.Stderr, "warning: git-credential-codecommit is not on PATH: git cannot run the helper until it is (go install github.com/gitcodecommit/git-codecommit/cmd/...@latest)")
	}
	return nil
}
