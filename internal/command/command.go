// Package command is what each `git codecommit` command is made of and how
// its command line is read: a name, a synopsis, a summary, and a function
// that declares the command's flags and returns what runs it. Flags are GNU
// style (`--profile P`, `--profile=P`, `-h`, `--help`) and may come before,
// between or after the arguments, as git's own; `--` ends them. A wrong
// command line is one line echoing what the user typed, with "did you mean"
// when a command or flag is close to a known one.
//
// Scope: parsing and usage conventions shared by every command. Each
// command's flags and logic live in that command's package; internal/cli
// only holds the table and dispatches.
package command

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/manual"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/target"
)

// Program is how the user invokes the command table, in messages.
const Program = "git codecommit"

// Command is one subcommand of git codecommit.
type Command struct {
	Name    string
	Args    string // synopsis after the name, e.g. "[--profile P] REPO"
	Summary string // one line for the command list
	// Flags declares the command's flags on fs and returns the function
	// that runs it once fs is parsed, with the positional arguments. The
	// returned function may read fs (fs.ArgsLenAtDash, fs.Changed).
	Flags func(fs *pflag.FlagSet) Func
}

// Func runs a command with its positional arguments.
type Func func(ctx context.Context, p *proc.Proc, args []string) error

// FlagSet returns c's flags, declared, and the function that runs c.
func (c Command) FlagSet() (*pflag.FlagSet, Func) {
	fs := pflag.NewFlagSet(Program+" "+c.Name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	var run Func
	if c.Flags != nil {
		run = c.Flags(fs)
	}
	if fs.Lookup("help") == nil {
		fs.BoolP("help", "h", false, "show this help")
	}
	return fs, run
}

// Exec parses args into c's flags and runs c. -h or --help anywhere prints
// the usage on stdout and exits 0.
func (c Command) Exec(ctx context.Context, p *proc.Proc, args []string) error {
	fs, run := c.FlagSet()
	if err := fs.Parse(args); err != nil {
		return flagError(fs, err)
	}
	if h, _ := fs.GetBool("help"); h {
		c.Help(p.Stdout, fs)
		return errHelp
	}
	if run == nil {
		return nil
	}
	return run(ctx, p, fs.Args())
}

// Help prints c's manual page (docs/man/git-codecommit-NAME.md) as text,
// or, for a command without one, its synopsis and flags.
func (c Command) Help(w io.Writer, fs *pflag.FlagSet) {
	if text, ok := manual.Text(manual.CommandPage(c.Name)); ok {
		io.WriteString(w, text)
		return
	}
	c.Usage(w, fs)
}

// PassThrough is the flag annotation of an option a command hands to
// another program unchanged; its value names that program ("git clone").
const PassThrough = "pass-through"

// Usage prints c's synopsis and flags.
func (c Command) Usage(w io.Writer, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "usage: %s %s %s\n\n%s\n\nOptions:\n%s", Program, c.Name, c.Args, c.Summary, FlagUsages(fs, ""))
	var to string
	fs.VisitAll(func(f *pflag.Flag) {
		if p := f.Annotations[PassThrough]; len(p) > 0 {
			to = p[0]
		}
	})
	if to != "" {
		fmt.Fprintf(w, "\nPassed to %s:\n%s", to, FlagUsages(fs, to))
	}
}

// FlagUsages lists fs's flags GNU style, one a line: "  -h, --help  text":
// its own with to "", else those it passes through to that program.
func FlagUsages(fs *pflag.FlagSet, to string) string {
	type row struct{ left, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if p := f.Annotations[PassThrough]; f.Hidden || (len(p) > 0) != (to != "") || (to != "" && p[0] != to) {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		name, usage := pflag.UnquoteUsage(f)
		if f.NoOptDefVal == "" && name != "" {
			left += " " + name
		}
		switch f.Value.Type() {
		case "bool", "stringArray":
		default:
			if f.DefValue != "" && f.DefValue != "0s" && f.DefValue != "0" {
				usage += " (default " + f.DefValue + ")"
			}
		}
		rows = append(rows, row{left, usage})
		width = max(width, len(left))
	})
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-*s  %s\n", width, r.left, r.usage)
	}
	return b.String()
}

// flagError turns a pflag error into one line echoing what was typed, with
// a suggestion when the flag is close to one of fs's.
func flagError(fs *pflag.FlagSet, err error) error {
	msg := err.Error()
	var ne *pflag.NotExistError
	if errors.As(err, &ne) {
		typed := "--" + ne.GetSpecifiedName()
		if sh := ne.GetSpecifiedShortnames(); sh != "" {
			typed = "-" + sh
			// A Go-style single-dash long flag (-profile) is the long
			// flag the user meant.
			if f := fs.Lookup(sh); f != nil && len(sh) > 1 {
				return UsageError(fs, "unknown flag: %s; did you mean --%s?", typed, f.Name)
			}
			msg = "unknown flag: " + typed
		}
		if s := Suggest(strings.TrimLeft(typed, "-"), flagNames(fs)); s != "" {
			msg += "; did you mean --" + s + "?"
		}
	}
	return UsageError(fs, "%s", msg)
}

func flagNames(fs *pflag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	return names
}

// errHelp ends a command that printed its usage on request: exit 0.
var errHelp = failure.ExitStatus(0)

// IsHelp reports whether err is the end of a --help.
func IsHelp(err error) bool { return errors.Is(err, errHelp) }

// Suggest returns the one of names closest to typed, if it is close enough
// to be a typo (or typed is a prefix of exactly it), else "".
func Suggest(typed string, names []string) string {
	best, bestD := "", 0
	for _, n := range names {
		d := distance(typed, n)
		if strings.HasPrefix(n, typed) && len(typed) >= 2 {
			d = 1
		}
		if best == "" || d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" || bestD > 2 || bestD >= len(typed) {
		return ""
	}
	return best
}

// distance is the Levenshtein distance between a and b, counting an
// adjacent transposition as one edit.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// PrintJSON prints v as indented JSON on w: every command's --json output.
// Each such output has a "version" field, its schema version; fields are
// only ever added to a schema.
func PrintJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// UsageError is a wrong command line of the command whose flags are fs:
// exit 2, with the hint to read its help.
func UsageError(fs *pflag.FlagSet, format string, args ...any) error {
	return failure.UsageError("run '"+fs.Name()+" --help'", format, args...)
}

// NoArgs checks that the command whose flags are fs got no positional
// arguments.
func NoArgs(fs *pflag.FlagSet, args []string) error {
	if len(args) > 0 {
		return UsageError(fs, "unexpected argument %q", args[0])
	}
	return nil
}

// ProfileFlag registers --profile into p; what says what the profile is for.
// Its help names the precedence of package target, the one home of it.
func ProfileFlag(fs *pflag.FlagSet, p *string, what string) {
	fs.StringVar(p, "profile", "", what+" (default: "+target.ProfileOrder+")")
}

// RegionFlag registers --region into r, as ProfileFlag does --profile.
func RegionFlag(fs *pflag.FlagSet, r *string, what string) {
	fs.StringVar(r, "region", "", what+" (default: "+target.RegionOrder+")")
}
