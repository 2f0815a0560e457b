// Package cli is `git codecommit`: the command table, flag parsing
// conventions and usage text. Each command's logic lives in its own package;
// this one only dispatches to it.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Name is the program's name in messages.
const Name = "git-codecommit"

// Version is set at build time with -ldflags "-X …/internal/cli.Version=v1.2.3".
var Version = ""

// Command is one subcommand of git codecommit.
type Command struct {
	Name    string
	Args    string // synopsis after the name
	Summary string
	Run     func(ctx context.Context, p *proc.Proc, args []string) error
}

// commands is the command table, filled by the cmd_*.go files of this
// package.
var commands = map[string]Command{}

func register(c Command) { commands[c.Name] = c }

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
	c, ok := commands[name]
	if !ok {
		return failure.UsageError("run 'git codecommit help' for the list of commands", "unknown command %q", name)
	}
	return c.Run(ctx, p, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "usage: git codecommit <command> [options]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-8s %s\n", n, c.Summary)
	}
	fmt.Fprintf(w, "\nRun 'git codecommit <command> -h' for a command's options.\n")
}

// FlagSet returns a flag set for a registered command whose errors are
// returned, not printed and exited on, and whose -h prints the usage (the
// command's Args from the table, then the flags) on stdout.
func FlagSet(p *proc.Proc, name string) *flag.FlagSet {
	args := commands[name].Args
	fs := flag.NewFlagSet("git codecommit "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // errors are one line; -h prints the usage (see Parse)
	helpOut[fs] = func() {
		fmt.Fprintf(p.Stdout, "usage: git codecommit %s %s\n", name, args)
		fs.SetOutput(p.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// helpOut holds each flag set's usage printer.
var helpOut = map[*flag.FlagSet]func(){}

// Parse parses args into fs, allowing flags after positional arguments (as
// git does), and returns the positional arguments.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				if h := helpOut[fs]; h != nil {
					h()
				}
				return nil, errHelp
			}
			msg := err.Error()
			if f, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
				msg = "unknown flag " + f
			}
			return nil, failure.UsageError("run '"+fs.Name()+" -h'", "%s", msg)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// errHelp ends a command that printed its usage on request.
var errHelp = failure.ExitStatus(0)

// IsHelp reports whether err is the end of a -h.
func IsHelp(err error) bool { return errors.Is(err, errHelp) }

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

func init() {
	register(Command{Name: "version", Summary: "print the version", Run: func(ctx context.Context, p *proc.Proc, args []string) error {
		fmt.Fprintf(p.Stdout, "git-codecommit %s\n", version())
		return nil
	}})
}
