// Package names is the one home of the rules for the names the toolset
// accepts from users, URLs, flags and files: AWS profile names, AWS region
// names, CodeCommit repository names, and the host[:port] a request goes to.
// The URL parser (repourl), the target resolver, every command's flags,
// setup, doctor and mfa call these and nothing else.
//
// Scope: pure functions, no environment and no I/O. Each returns an *Error
// whose Reason is one line without the offending value's raw control
// characters.
package names

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind says which kind of name an Error is about.
type Kind int

// The kinds of names.
const (
	KindProfile Kind = iota + 1
	KindRegion
	KindRepository
	KindHost
)

func (k Kind) String() string {
	switch k {
	case KindProfile:
		return "profile name"
	case KindRegion:
		return "region"
	case KindRepository:
		return "repository name"
	case KindHost:
		return "host"
	}
	return "name"
}

// Error is an invalid name. Error() is Reason, one line.
type Error struct {
	Kind   Kind
	Value  string
	Reason string
}

func (e *Error) Error() string { return e.Reason }

// Hint says what a valid name of the kind looks like.
func (e *Error) Hint() string {
	switch e.Kind {
	case KindProfile:
		return "a profile name is any text without control characters or brackets, as in the AWS files"
	case KindRegion:
		return "a region looks like us-east-1 or us-gov-west-1"
	case KindRepository:
		return "repository names are 1-100 letters, digits, '.', '_' and '-'"
	case KindHost:
		return "a host is host[:port], e.g. git-codecommit.us-east-1.amazonaws.com or localhost:8443"
	}
	return ""
}

// Profile reports whether s can name an AWS profile. The rule is the AWS
// files' own: a section header [profile NAME] or [NAME] can hold any text
// but a bracket, a line break, or the whitespace the parsers trim around
// it. So names such as p:q, prof!x, user@example.com, org/dev, x$y and
// non-ASCII letters are valid; only an empty name, invalid UTF-8, control
// characters, brackets and leading or trailing whitespace are not.
func Profile(s string) error {
	bad := func(format string, a ...any) error {
		return &Error{Kind: KindProfile, Value: s, Reason: fmt.Sprintf(format, a...)}
	}
	if s == "" {
		return bad("the profile name is empty")
	}
	for i, c := range s {
		switch {
		case c == utf8.RuneError && !validAt(s, i):
			return bad("the profile name has an invalid UTF-8 byte at offset %d", i)
		case unicode.IsControl(c):
			return bad("the profile name contains control character %q at offset %d", c, i)
		case c == '[' || c == ']':
			return bad("the profile name contains %q at offset %d; the AWS files cannot name such a profile", c, i)
		}
	}
	if strings.TrimSpace(s) != s {
		return bad("the profile name begins or ends with whitespace")
	}
	return nil
}

func validAt(s string, i int) bool {
	r, size := utf8.DecodeRuneInString(s[i:])
	return !(r == utf8.RuneError && size <= 1)
}

// Region returns the canonical (lowercase) form of the region name s, or
// an error when s does not have a region's shape: two letters, one or more
// words, a number, joined by dashes (us-east-1, us-gov-west-1,
// eu-isoe-west-1). Any case is accepted, as AWS's own helper accepts it; a
// region is signed and put into host names in lowercase. Whether the region
// exists is package endpoint's business.
func Region(s string) (string, error) {
	if s == "" {
		return "", &Error{Kind: KindRegion, Value: s, Reason: "no AWS region given"}
	}
	l := strings.ToLower(s)
	if !regionShape(l) {
		return "", &Error{Kind: KindRegion, Value: s, Reason: fmt.Sprintf("malformed AWS region %s", quoteClip(s))}
	}
	return l, nil
}

// regionShape matches ^[a-z]{2}(-[a-z]+)+-[0-9]+$ without a regular
// expression (the helpers compile none on their hot path).
func regionShape(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) != 2 || !all(parts[0], isLower) {
		return false
	}
	for _, p := range parts[1 : len(parts)-1] {
		if p == "" || !all(p, isLower) {
			return false
		}
	}
	last := parts[len(parts)-1]
	return last != "" && all(last, isDigit)
}

func all(s string, f func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !f(s[i]) {
			return false
		}
	}
	return true
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// MaxRepositoryLen is CodeCommit's limit on repository name length.
const MaxRepositoryLen = 100

// Repository reports whether s is a valid CodeCommit repository name: 1-100
// letters, digits, '.', '_' or '-', not "." or "..", not ending in ".git".
func Repository(s string) error {
	bad := func(format string, a ...any) error {
		return &Error{Kind: KindRepository, Value: s, Reason: fmt.Sprintf(format, a...)}
	}
	if s == "" {
		return bad("the repository name is empty")
	}
	for i, c := range s {
		if !(isAlnum(c) || c == '.' || c == '_' || c == '-') {
			if c == utf8.RuneError && !validAt(s, i) {
				return bad("the repository name has an invalid UTF-8 byte at offset %d", i)
			}
			return bad("the repository name contains %s at offset %d; only letters, digits, '.', '_' and '-' are allowed", Describe(c), i)
		}
	}
	if len(s) > MaxRepositoryLen {
		return bad("the repository name is %d characters long; the limit is %d", len(s), MaxRepositoryLen)
	}
	if s == "." || s == ".." {
		return bad("%q is not a valid repository name", s)
	}
	if strings.HasSuffix(s, ".git") {
		return bad("a repository name cannot end in \".git\"")
	}
	return nil
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// Describe names a character for an error message.
func Describe(c rune) string {
	switch {
	case c == ' ':
		return "a space"
	case unicode.IsSpace(c):
		return fmt.Sprintf("whitespace %q", c)
	case unicode.IsControl(c):
		return fmt.Sprintf("control character %q", c)
	}
	return fmt.Sprintf("%q", c)
}

// WireHost returns host[:port] exactly as an https request carries it in
// its Host header, which is what a CodeCommit signature covers: curl (and
// so git) leaves the default port 443 out, and keeps any other port. The
// host itself is not otherwise changed.
func WireHost(hostport string) string {
	if h, ok := strings.CutSuffix(hostport, ":443"); ok && h != "" && (!strings.Contains(h, ":") || strings.HasSuffix(h, "]")) {
		return h
	}
	return hostport
}

// quoteClip quotes s for a message (control characters escaped), clipped
// to 64 runes.
func quoteClip(s string) string {
	const max = 64
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		return fmt.Sprintf("%q…", string(r[:max]))
	}
	return fmt.Sprintf("%q", s)
}
