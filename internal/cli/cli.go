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
	"runtime/debug"
	"sort"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/clone"
	"github.com/gitcodecommit/git-codecommit/internal/cloneurl"
	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/doctor"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
	"github.com/gitcodecommit/git-codecommit/internal/mfa"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/repocmd"
	"github.com/gitcodecommit/git-codecommit/internal/setup"
)

// Name is the program's name in messages.
const Name = "git-codecommit"

// Version is set at build time with -ldflags "-X …/internal/cli.Version=v1.2.3".
var Version = ""

// Commands is the command table: one entry per command, each from the
// package that owns it.
func Commands() []command.Command {
	return []command.Command{
		setup.Command,
		clone.Command,
		cloneurl.Command,
		doctor.Command,
		mfa.Command,
		repocmd.CreateCommand,
		repocmd.ListCommand,
		repocmd.InfoCommand,
		repocmd.DeleteCommand,
		localserver.Command,
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
	case "-h", "--help", "help":
		usage(p.Stdout)
		return nil
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
	fmt.Fprintf(w, "\nRun 'git codecommit <command> --help' for a command's options.\n")
}

// version returns the module version recorded in the binary.
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

var versionCommand = command.Command{Name: "version", Summary: "print the version", Flags: versionFlags}

func versionFlags(fs *pflag.FlagSet) command.Func {
	return func(ctx context.Context, p *proc.Proc, args []string) error {
		if err := command.NoArgs(fs, args); err != nil {
			return err
		}
		fmt.Fprintf(p.Stdout, "git-codecommit %s\n", version())
		return nil
	}
}
