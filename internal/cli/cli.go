// Package cli is `git codecommit`: the command table and the dispatch to
// it. Each command's flags and logic live in that command's package (see
// internal/command for what a command is); this one only lists them, finds
// the one the user named and runs it.
//
// Adding a command: write its package with a command.Command value, and add
// that value to Commands below.
package cli

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/clone"
	"github.com/gitcodecommit/git-codecommit/internal/cloneurl"
	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/completion"
	"github.com/gitcodecommit/git-codecommit/internal/doctor"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitcredentials"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
	"github.com/gitcodecommit/git-codecommit/internal/logout"
	"github.com/gitcodecommit/git-codecommit/internal/mfa"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/repocmd"
	"github.com/gitcodecommit/git-codecommit/internal/setup"
	"github.com/gitcodecommit/git-codecommit/internal/sshkeys"
	"github.com/gitcodecommit/git-codecommit/internal/version"
)

// Name is the program's name in messages.
const Name = "git-codecommit"

// Commands is the command table: one entry per command, each from the
// package that owns it.
func Commands() []command.Command {
	return []command.Command{
		setup.Command,
		clone.Command,
		cloneurl.Command,
		doctor.Command,
		mfa.Command,
		logout.Command,
		repocmd.CreateCommand,
		repocmd.ListCommand,
		repocmd.InfoCommand,
		repocmd.DeleteCommand,
		localserver.Command,
		sshkeys.Command,
		gitcredentials.Command,
		completion.NewCommand(Commands),
		versionCommand,
	}
}

// Run is git codecommit's main.
func Run(ctx context.Context, p *proc.Proc) error {
	args := p.Args
	if len(args) == 0 {
		usage(p.Stderr)
		return failure.UsageError("run 'git codecommit help'", "no command given")
	}
	name := args[0]
	switch name {
	case "-h", "--help":
		usage(p.Stdout)
		return nil
	case "help":
		if len(args) < 2 {
			usage(p.Stdout)
			return nil
		}
		// git codecommit help CMD is CMD --help.
		name, args = args[1], []string{args[1], "--help"}
	case "--version":
		name = "version"
	}
	c, ok := lookup(name)
	if !ok {
		if s := command.Suggest(name, names()); s != "" {
			return failure.UsageError("run 'git codecommit help' for the list of commands", "unknown command %q; did you mean %s?", name, s)
		}
		return failure.UsageError("run 'git codecommit help' for the list of commands", "unknown command %q", name)
	}
	return c.Exec(ctx, p, args[1:])
}

func lookup(name string) (command.Command, bool) {
	for _, c := range Commands() {
		if c.Name == name {
			return c, true
		}
	}
	return command.Command{}, false
}

func names() []string {
	var n []string
	for _, c := range Commands() {
		n = append(n, c.Name)
	}
	sort.Strings(n)
	return n
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "usage: git codecommit <command> [options]\n\nCommands:\n")
	for _, n := range names() {
		c, _ := lookup(n)
		fmt.Fprintf(w, "  %-8s %s\n", n, c.Summary)
	}
	fmt.Fprintf(w, "\nRun 'git codecommit help <command>' or 'git codecommit <command> --help' for a command's manual.\n")
}

var versionCommand = command.Command{Name: "version", Args: "[--json]", Summary: "print the version, commit and Go version", Flags: versionFlags}

// VersionJSON is `git codecommit version --json`, schema version 1.
// Fields are only ever added.
type VersionJSON struct {
	Version  int    `json:"version"` // schema version: 1
	Program  string `json:"program"`
	Release  string `json:"release"`
	Commit   string `json:"commit"`
	Modified bool   `json:"modified"`
	Go       string `json:"go"`
}

func versionFlags(fs *pflag.FlagSet) command.Func {
	asJSON := fs.Bool("json", false, "print as JSON (schema version 1)")
	return func(ctx context.Context, p *proc.Proc, args []string) error {
		if err := command.NoArgs(fs, args); err != nil {
			return err
		}
		i := version.Get()
		if *asJSON {
			return command.PrintJSON(p.Stdout, VersionJSON{Version: 1, Program: Name, Release: i.Release, Commit: i.Commit, Modified: i.Modified, Go: i.Go})
		}
		fmt.Fprintln(p.Stdout, i.Line(Name))
		return nil
	}
}
