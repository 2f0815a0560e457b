// Package version is the toolset's version, as every program prints it: the
// release, the commit it was built from and the Go version, read from the
// build information Go records in the binary (runtime/debug.ReadBuildInfo).
//
// Scope: reading and formatting those facts; standard library only, so the
// helpers can link it. The `--version` answer of all three programs starts
// with the program's name and "(git-codecommit toolset)", which is how
// doctor tells our helpers from a foreign one of the same name.
package version

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Release is set at build time with
// -ldflags "-X github.com/gitcodecommit/git-codecommit/internal/version.Release=v1.2.3".
var Release = ""

// Mark is in every program's --version line: it tells ours from a foreign
// helper of the same name.
const Mark = "(git-codecommit toolset)"

// Info is what a build knows about itself.
type Info struct {
	Release  string // module version, "devel" for a build from a checkout
	Commit   string // VCS revision, "" if unknown
	Modified bool   // the checkout had uncommitted changes
	Go       string // Go version that built it
}

// Get returns this binary's Info.
func Get() Info {
	i := Info{Release: Release, Go: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		if i.Release == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			i.Release = bi.Main.Version
		}
		if bi.GoVersion != "" {
			i.Go = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				i.Commit = s.Value
			case "vcs.modified":
				i.Modified = s.Value == "true"
			}
		}
	}
	if i.Release == "" {
		i.Release = "devel"
	}
	return i
}

// Line is program's --version answer: "NAME RELEASE (git-codecommit
// toolset) commit C[-dirty], GO".
func (i Info) Line(program string) string {
	c := i.Commit
	if c == "" {
		c = "unknown"
	} else if len(c) > 12 {
		c = c[:12]
	}
	if i.Modified {
		c += "-dirty"
	}
	return fmt.Sprintf("%s %s %s commit %s, %s", program, i.Release, Mark, c, i.Go)
}

// HelperInfo answers a helper run by a person rather than by git: a lone
// --version prints the version line, a lone -h or --help prints usage, both
// on w, and it reports true. git always passes its own arguments, never
// these alone.
func HelperInfo(args []string, w io.Writer, program, usage string) bool {
	if len(args) != 1 {
		return false
	}
	switch args[0] {
	case "--version", "-version", "-V":
		fmt.Fprintln(w, Get().Line(program))
	case "-h", "--help", "-help", "help":
		fmt.Fprintln(w, usage)
	default:
		return false
	}
	return true
}
