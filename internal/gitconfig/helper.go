// Package gitconfig owns the toolset's own lines in git's configuration: the
// credential.helper value that runs git-credential-codecommit (by its
// absolute path, "/PATH/git-credential-codecommit --profile P --region R",
// where it is installed beside the running program: HelperPath; else by the
// name "codecommit", the form earlier versions wrote), written by
// Helper.String and read back, in every form, by ParseHelper, so setup, clone --https, doctor and the remote
// helper's fallback write and recognise it the same way; the
// credential.<url> patterns that cover every CodeCommit host the credential
// helper answers (URLPatterns); the entries of one https remote in one
// repository (Local, for clone --https: on its command line and in the new
// repository's config); and the one writer of those lines, Editor, which
// edits a scope through `git config` keeping every value that is not ours.
//
// Scope: values and text, and `git config` run through the caller's
// gitexec.Runner; where the file is and how it is replaced atomically is
// package setup's.
package gitconfig

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/names"
)

// Name is the credential.helper name that makes git run
// git-credential-codecommit.
const Name = "codecommit"

// Helper is our credential.helper value, as fields.
type Helper struct {
	Path            string // absolute path git runs; "" for the name Name, which git runs through `git credential-codecommit`
	Profile         string // --profile; "" for the default chain
	Region          string // --region; "" for the profile's or the host's
	IgnoreHostCheck bool   // --ignore-host-check
}

// Validate checks the fields with the rules git-credential-codecommit
// applies to its own arguments (package names), so that every value written
// can be run; String quotes what the shell would otherwise interpret.
func (h Helper) Validate() error {
	if h.Profile != "" {
		if err := names.Profile(h.Profile); err != nil {
			return err
		}
	}
	if h.Region != "" {
		if _, err := names.Region(h.Region); err != nil {
			return err
		}
	}
	return nil
}

// String is the credential.helper value: the program, then the options that
// are set, each value quoted for the shell git runs helpers through when it
// holds anything but letters, digits and . _ + = , @ : / -.
//
// The program is h.Path when set. git (credential.c) runs an absolute path
// as is through sh and a value starting with "!" as a shell command, each
// with the action appended, so the path is written plainly when it holds
// only letters, digits and / . _ + -, and otherwise as "!" followed by the
// path in single quotes (as gh and Git Credential Manager write theirs):
// either way git starts the helper itself, with no `git` wrapper. Without
// a path it is the name "codecommit", which git runs as
// `git credential-codecommit` (a git process that finds and starts the
// helper on PATH: about 1.5 ms more per run, twice per https command).
func (h Helper) String() string {
	var b strings.Builder
	switch {
	case h.Path == "":
		b.WriteString(Name)
	case strings.IndexFunc(h.Path, func(r rune) bool { return !plainPathRune(r) }) < 0:
		b.WriteString(h.Path)
	default:
		b.WriteString("!" + singleQuote(h.Path))
	}
	if h.Profile != "" {
		b.WriteString(" --profile " + shellQuote(h.Profile))
	}
	if h.Region != "" {
		b.WriteString(" --region " + shellQuote(h.Region))
	}
	if h.IgnoreHostCheck {
		b.WriteString(" --ignore-host-check")
	}
	return b.String()
}

// ParseHelper recognises a credential.helper value that runs
// git-credential-codecommit and returns its options: every form String
// writes (an absolute path, plain or as a "!" shell command) and those of
// earlier versions ("codecommit", "git-credential-codecommit" or a path to
// it), so that undo, doctor and a rerun of setup handle both. Path is set
// only for an absolute path. ok is false for any other helper, for any
// other shell command, and for a value of ours with an argument it does not
// know.
func ParseHelper(v string) (h Helper, ok bool) {
	bang := strings.HasPrefix(v, "!")
	words, err := shellSplit(strings.TrimPrefix(v, "!"))
	if err != nil || len(words) == 0 || strings.HasPrefix(words[0], "!") {
		return Helper{}, false
	}
	name := strings.TrimSuffix(filepath.Base(filepath.ToSlash(words[0])), ".exe")
	abs := strings.HasPrefix(words[0], "/") || filepath.IsAbs(words[0])
	switch {
	case name == HelperProgram && abs:
		h.Path = words[0]
	case bang:
		return Helper{}, false // a shell command runs ours only by its path
	case name != Name && name != HelperProgram:
		return Helper{}, false
	}
	for i := 1; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") {
			return Helper{}, false
		}
		key, val, hasVal := strings.Cut(strings.TrimLeft(w, "-"), "=")
		switch key {
		case "ignore-host-check":
			if hasVal {
				h.IgnoreHostCheck = val == "true" || val == "1"
			} else {
				h.IgnoreHostCheck = true
			}
			continue
		case "profile", "region":
		default:
			return Helper{}, false
		}
		if !hasVal {
			if i+1 >= len(words) {
				return Helper{}, false
			}
			i++
			val = words[i]
		}
		if key == "profile" {
			h.Profile = val
		} else {
			h.Region = val
		}
	}
	return h, true
}

// IsOurs reports whether a credential.helper value runs our helper.
func IsOurs(v string) bool {
	_, ok := ParseHelper(v)
	return ok
}

// URLPatterns are the credential.<url> (and http.<url>) patterns that cover
// every CodeCommit host the credential helper answers: regular, FIPS, China
// and (FIPS) VPC endpoints, from endpoint.HostPatterns. In git's URL
// matching a "*" stands for exactly one host label, so each form needs its
// own pattern; they match only port 443, as CodeCommit serves.
func URLPatterns() []string {
	var out []string
	for _, h := range endpoint.HostPatterns() {
		out = append(out, "https://"+h)
	}
	return out
}

func safeWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._+=,@:/-", r)
}

// plainPathRune: a path made of these needs no quoting for sh, so git may
// run it as is.
func plainPathRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._+-", r)
}

// singleQuote quotes s for sh in single quotes.
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellQuote quotes s for sh when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !safeWordRune(r) }) < 0 {
		return s
	}
	return singleQuote(s)
}

// shellSplit splits v into words as sh would for the simple values git
// config holds: blanks separate words; single quotes, double quotes and
// backslashes quote. Anything the shell would expand ($, `, globs) is not
// interpreted: such a value is not one of ours anyway.
func shellSplit(v string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case c == '\'':
			j := strings.IndexByte(v[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated quote")
			}
			cur.WriteString(v[i+1 : i+1+j])
			i += j + 1
			in = true
		case c == '"':
			i++
			for ; i < len(v) && v[i] != '"'; i++ {
				if v[i] == '\\' && i+1 < len(v) && strings.IndexByte("\"\\$`\n", v[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(v[i])
			}
			if i >= len(v) {
				return nil, errors.New("unterminated quote")
			}
			in = true
		case c == '\\' && i+1 < len(v):
			i++
			cur.WriteByte(v[i])
			in = true
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}
