package clone

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/command"
)

// argKind is how a git clone option takes its value.
type argKind int

const (
	noArg       argKind = iota // --bare
	needArg                    // --depth 1, --depth=1, -b main, -bmain
	optionalArg                // --recurse-submodules[=PATHSPEC]
)

// gitCloneOptions are the options of git clone (git 2.20 to 2.50) that
// clone passes through, each as --NAME[=VALUE], in the order given. Options
// of a later git go after "--".
var gitCloneOptions = []struct {
	long, short string
	arg         argKind
	usage       string
}{
	{"verbose", "v", noArg, "be more verbose"},
	{"quiet", "q", noArg, "be more quiet"},
	{"progress", "", noArg, "force progress reporting"},
	{"no-progress", "", noArg, ""},
	{"reject-shallow", "", noArg, "don't clone a shallow repository"},
	{"no-reject-shallow", "", noArg, ""},
	{"no-checkout", "n", noArg, "don't create a checkout"},
	{"bare", "", noArg, "create a bare repository"},
	{"mirror", "", noArg, "create a mirror repository (implies bare)"},
	{"local", "l", noArg, "to clone from a local repository"},
	{"no-local", "", noArg, ""},
	{"no-hardlinks", "", noArg, "don't use local hardlinks, always copy"},
	{"shared", "s", noArg, "setup as shared repository"},
	{"recurse-submodules", "", optionalArg, "initialize submodules in the clone"},
	{"recursive", "", optionalArg, "alias of --recurse-submodules"},
	{"no-recurse-submodules", "", noArg, ""},
	{"jobs", "j", needArg, "number of submodules cloned in parallel"},
	{"template", "", needArg, "directory from which templates will be used"},
	{"reference", "", needArg, "reference repository"},
	{"reference-if-able", "", needArg, "reference repository"},
	{"dissociate", "", noArg, "use --reference only while cloning"},
	{"origin", "o", needArg, "use NAME instead of 'origin' to track upstream"},
	{"branch", "b", needArg, "checkout BRANCH instead of the remote's HEAD"},
	{"revision", "", needArg, "clone the given revision (git 2.49)"},
	{"upload-pack", "u", needArg, "path to git-upload-pack on the remote"},
	{"depth", "", needArg, "create a shallow clone of that depth"},
	{"shallow-since", "", needArg, "create a shallow clone since a specific time"},
	{"shallow-exclude", "", needArg, "deepen history of shallow clone, excluding rev"},
	{"single-branch", "", noArg, "clone only one branch, HEAD or --branch"},
	{"no-single-branch", "", noArg, ""},
	{"tags", "", noArg, ""},
	{"no-tags", "", noArg, "don't clone any tags"},
	{"shallow-submodules", "", noArg, "any cloned submodules will be shallow"},
	{"no-shallow-submodules", "", noArg, ""},
	{"separate-git-dir", "", needArg, "separate git dir from working tree"},
	{"ref-format", "", needArg, "reference format (git 2.45)"},
	{"config", "c", needArg, "set config inside the new repository"},
	{"server-option", "", needArg, "option to transmit"},
	{"ipv4", "4", noArg, "use IPv4 addresses only"},
	{"ipv6", "6", noArg, "use IPv6 addresses only"},
	{"filter", "", needArg, "object filtering"},
	{"also-filter-submodules", "", noArg, "apply partial clone filters to submodules"},
	{"no-also-filter-submodules", "", noArg, ""},
	{"remote-submodules", "", noArg, "any cloned submodules will use their remote-tracking branch"},
	{"no-remote-submodules", "", noArg, ""},
	{"sparse", "", noArg, "initialize sparse-checkout file to include only files at root"},
	{"no-sparse", "", noArg, ""},
	{"bundle-uri", "", needArg, "a URI for downloading bundles before fetching from origin remote"},
}

// noValue is the value pflag gives an option used without one.
const noValue = "\x00"

// gitOption collects one git clone option into the shared argument list.
type gitOption struct {
	name string
	arg  argKind
	out  *[]string
}

func (g *gitOption) String() string { return "" }

func (g *gitOption) Type() string {
	if g.arg == noArg {
		return "bool"
	}
	return "string"
}

func (g *gitOption) Set(v string) error {
	switch {
	case v == noValue:
		*g.out = append(*g.out, "--"+g.name)
	case g.arg == noArg:
		return fmt.Errorf("--%s takes no value", g.name)
	default:
		*g.out = append(*g.out, "--"+g.name+"="+v)
	}
	return nil
}

// gitFlags declares git clone's options on fs; each one used is appended
// to out as --NAME or --NAME=VALUE.
func gitFlags(fs *pflag.FlagSet, out *[]string) {
	for _, o := range gitCloneOptions {
		f := fs.VarPF(&gitOption{name: o.long, arg: o.arg, out: out}, o.long, o.short, o.usage)
		if o.arg != needArg {
			f.NoOptDefVal = noValue
		}
		if o.usage == "" {
			f.Hidden = true
		}
		f.Annotations = map[string][]string{command.PassThrough: {"git clone"}}
	}
}
