// Package repourl parses and prints codecommit:// repository URLs and the
// arguments git passes to git-remote-codecommit.
//
// Scope: the URL grammar only. It is pure: no environment, no I/O, no
// network, and it does not decide which region or endpoint is used (see
// package endpoint); a region given in the URL is checked for syntax only.
// It uses package endpoint (also pure) for region syntax and to recognise
// pasted CodeCommit https/ssh URLs, whose errors suggest the equivalent
// codecommit URL.
//
// Grammar (as git hands it to the helper, and as users paste it):
//
//	codecommit://[PROFILE@]REPO
//	REGION://[PROFILE@]REPO                 git strips "codecommit::" from codecommit::REGION://...
//	codecommit::REGION://[PROFILE@]REPO     accepted whole
package repourl

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
)

// Scheme is the URL scheme git maps to git-remote-codecommit.
const Scheme = "codecommit"

// MaxRepoNameLen is CodeCommit's limit on repository name length.
const MaxRepoNameLen = 100

const (
	schemePrefix = Scheme + "://"
	regionPrefix = Scheme + "::"
	usage        = "use codecommit://[PROFILE@]REPO or codecommit::REGION://[PROFILE@]REPO"
	argsUsage    = "git-remote-codecommit is run by git: use `git clone codecommit://[PROFILE@]REPO`"
)

// URL is a parsed codecommit URL.
type URL struct {
	Region  string // "" unless given in the URL (codecommit::REGION://...)
	Profile string // "" when not given
	Repo    string
}

// String returns the canonical form: codecommit://[PROFILE@]REPO or
// codecommit::REGION://[PROFILE@]REPO.
func (u URL) String() string {
	var b strings.Builder
	if u.Region != "" {
		b.WriteString(regionPrefix + u.Region + "://")
	} else {
		b.WriteString(schemePrefix)
	}
	if u.Profile != "" {
		b.WriteString(u.Profile + "@")
	}
	b.WriteString(u.Repo)
	return b.String()
}

// Error describes a malformed URL or bad helper arguments. Error() is one
// line; Hint() says how to fix it.
type Error struct {
	Input      string // what was given
	Reason     string // what is wrong with it
	Suggestion string // the corrected URL, when one can be derived

	hint string // case-specific fix, used when Suggestion is empty
	note string // extra advice added after Suggestion
	args bool   // the arguments, not the URL, are wrong
}

func (e *Error) Error() string {
	if e.args {
		return "invalid git-remote-codecommit arguments: " + e.Reason
	}
	return fmt.Sprintf("malformed codecommit URL %q: %s", clip(e.Input), e.Reason)
}

// Hint returns how to fix the problem.
func (e *Error) Hint() string {
	switch {
	case e.Suggestion != "" && e.note != "":
		return "use " + e.Suggestion + "; " + e.note
	case e.Suggestion != "":
		return "use " + e.Suggestion
	case e.hint != "":
		return e.hint
	case e.args:
		return argsUsage
	}
	return usage
}

// clip keeps pathological inputs from flooding the terminal.
func clip(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

// nameError is returned by ValidRepoName and ValidProfileName; Parse wraps
// its reason into an *Error.
type nameError struct {
	reason string
}

func (e *nameError) Error() string { return e.reason }

// ValidRepoName reports whether s is a valid CodeCommit repository name:
// 1-100 letters, digits, '.', '_' or '-', not "." or "..", not ending in
// ".git".
func ValidRepoName(s string) error {
	if s == "" {
		return &nameError{"the repository name is empty"}
	}
	for i, c := range s {
		if !(isAlnum(c) || c == '.' || c == '_' || c == '-') {
			if c == utf8.RuneError {
				return &nameError{fmt.Sprintf("the repository name has an invalid UTF-8 byte at offset %d", i)}
			}
			return &nameError{fmt.Sprintf("the repository name contains %s at offset %d; only letters, digits, '.', '_' and '-' are allowed", describe(c), i)}
		}
	}
	if len(s) > MaxRepoNameLen {
		return &nameError{fmt.Sprintf("the repository name is %d characters long; the limit is %d", len(s), MaxRepoNameLen)}
	}
	if s == "." || s == ".." {
		return &nameError{fmt.Sprintf("%q is not a valid repository name", s)}
	}
	if strings.HasSuffix(s, ".git") {
		return &nameError{"a repository name cannot end in \".git\""}
	}
	return nil
}

// ValidProfileName reports whether s can be used as an AWS profile name in
// a codecommit URL: non-empty, made of letters, digits and . _ + = , -
// (no whitespace, '@', '/' or ':').
func ValidProfileName(s string) error {
	if s == "" {
		return &nameError{"the profile name is empty"}
	}
	for i, c := range s {
		if !(isAlnum(c) || strings.ContainsRune("._+=,-", c)) {
			if c == utf8.RuneError {
				return &nameError{fmt.Sprintf("the profile name has an invalid UTF-8 byte at offset %d", i)}
			}
			return &nameError{fmt.Sprintf("the profile name contains %s at offset %d; only letters, digits and . _ + = , - are allowed", describe(c), i)}
		}
	}
	return nil
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// describe names a character for an error message.
func describe(c rune) string {
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

// wrongSchemes are URL schemes that are plainly not a region: an input
// "https://..." arriving here was meant for another git transport.
var wrongSchemes = map[string]bool{
	"http": true, "https": true, "ssh": true, "git": true, "file": true,
	"ftp": true, "ftps": true, "rsync": true, "s3": true,
	"git+ssh": true, "ssh+git": true,
}

// Parse parses a codecommit URL in any of the forms in the package
// documentation.
func Parse(raw string) (URL, error) {
	fail := func(reason string) (URL, error) {
		return URL{}, &Error{Input: raw, Reason: reason}
	}
	if raw == "" {
		return fail("the URL is empty")
	}
	if t := strings.TrimSpace(raw); t != raw {
		e := &Error{Input: raw, Reason: "the URL has leading or trailing whitespace"}
		if u, err := Parse(t); err == nil {
			e.Suggestion = u.String()
		}
		return URL{}, e
	}

	rest, explicitRegion := raw, false
	if strings.HasPrefix(rest, regionPrefix) {
		rest, explicitRegion = rest[len(regionPrefix):], true
	} else if strings.HasPrefix(rest, schemePrefix) {
		return parseAuthority(raw, "", rest[len(schemePrefix):])
	}

	i := strings.Index(rest, "://")
	if i < 0 {
		return noScheme(raw, rest, explicitRegion)
	}
	scheme, after := rest[:i], rest[i+3:]
	switch {
	case scheme == "":
		return URL{}, &Error{Input: raw, Reason: "the region before \"://\" is empty", hint: regionHint}
	case strings.EqualFold(scheme, Scheme):
		e := &Error{Input: raw}
		if explicitRegion {
			e.Reason = "\"codecommit::\" must be followed by a region, not by \"codecommit://\""
		} else {
			e.Reason = fmt.Sprintf("the scheme must be lowercase %q, not %q", Scheme, scheme)
		}
		if u, err := parseAuthority(raw, "", after); err == nil {
			e.Suggestion = u.String()
		}
		return URL{}, e
	case wrongSchemes[strings.ToLower(scheme)]:
		if e := pastedCodeCommit(raw, rest); e != nil {
			return URL{}, e
		}
		return URL{}, &Error{Input: raw, Reason: fmt.Sprintf("the %q scheme is not a codecommit URL", scheme)}
	}
	if err := validRegion(scheme); err != "" {
		return URL{}, &Error{Input: raw, Reason: err, hint: regionHint}
	}
	return parseAuthority(raw, scheme, after)
}

const regionHint = "use codecommit::REGION://[PROFILE@]REPO with a region such as us-east-1, or codecommit://[PROFILE@]REPO to use the profile's region"

func validRegion(s string) string {
	if err := endpoint.ValidRegion(s); err != nil {
		return fmt.Sprintf("invalid region %q; a region looks like us-east-1", s)
	}
	return ""
}

// noScheme handles input without "://".
func noScheme(raw, rest string, explicitRegion bool) (URL, error) {
	e := &Error{Input: raw}
	switch {
	case explicitRegion:
		e.Reason = "\"codecommit::\" must be followed by REGION://"
		e.hint = regionHint
		if u, err := parseAuthority(raw, "", rest); err == nil {
			e.Suggestion = u.String()
		}
		return URL{}, e
	case strings.HasPrefix(rest, Scheme+":"):
		e.Reason = "missing \"//\" after \"codecommit:\""
		if u, err := parseAuthority(raw, "", strings.TrimLeft(rest[len(Scheme)+1:], "/")); err == nil {
			e.Suggestion = u.String()
		}
		return URL{}, e
	}
	if pe := pastedCodeCommit(raw, rest); pe != nil {
		return URL{}, pe
	}
	e.Reason = "missing the codecommit:// scheme"
	if u, err := parseAuthority(raw, "", rest); err == nil {
		e.Suggestion = u.String()
	}
	return URL{}, e
}

// pastedCodeCommit recognises a CodeCommit git URL (https, ssh, or a bare
// host/v1/repos/NAME) and returns an error suggesting the codecommit form,
// or nil when s is not one.
func pastedCodeCommit(raw, s string) *Error {
	scheme := ""
	if i := strings.Index(s, "://"); i >= 0 {
		scheme, s = strings.ToLower(s[:i]), s[i+3:]
	}
	hostport, path, _ := strings.Cut(s, "/")
	if at := strings.LastIndexByte(hostport, '@'); at >= 0 {
		hostport = hostport[at+1:] // git credentials or SSH key id
	}
	info, ok := endpoint.ParseHost(hostport)
	if !ok {
		return nil
	}
	what := "a CodeCommit HTTPS URL"
	if scheme == "ssh" {
		what = "a CodeCommit SSH URL"
	} else if scheme == "" {
		what = "a CodeCommit host and path"
	}
	e := &Error{Input: raw, Reason: "this is " + what + ", not a codecommit URL"}
	var notes []string
	if info.FIPS {
		notes = append(notes, "set AWS_USE_FIPS_ENDPOINT=true for the FIPS endpoint")
	}
	if info.VPCEndpoint {
		notes = append(notes, "set CODE_COMMIT_ENDPOINT="+strings.ToLower(hostport)+" for the VPC endpoint")
	}
	name, found := strings.CutPrefix(strings.TrimSuffix(path, "/"), "v1/repos/")
	if found && ValidRepoName(name) == nil {
		e.Suggestion = URL{Region: info.Region, Repo: name}.String()
		e.note = strings.Join(notes, "; ")
	} else {
		e.hint = fmt.Sprintf("use codecommit::%s://REPO, where REPO is the name after /v1/repos/", info.Region)
		if len(notes) > 0 {
			e.hint += "; " + strings.Join(notes, "; ")
		}
	}
	return e
}

// parseAuthority parses "[PROFILE@]REPO", the part after "://".
func parseAuthority(raw, region, s string) (URL, error) {
	fail := func(reason string) (URL, error) {
		return URL{}, &Error{Input: raw, Reason: reason}
	}
	if strings.Contains(s, "://") {
		if e := pastedCodeCommit(raw, s); e != nil {
			return URL{}, e
		}
		return fail("a URL inside a codecommit URL is not allowed")
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		if e := pastedCodeCommit(raw, s); e != nil {
			return URL{}, e
		}
		head, tail := s[:i], s[i:]
		e := &Error{Input: raw}
		switch {
		case i == 0 && tail[0] == '/':
			e.Reason = "too many slashes after \"://\""
		case tail == "/":
			e.Reason = "a trailing slash after the repository name is not allowed"
		case tail[0] == '/':
			e.Reason = "a path after the repository name is not allowed"
		case tail[0] == '?':
			e.Reason = "a query (\"?...\") after the repository name is not allowed"
		default:
			e.Reason = "a fragment (\"#...\") after the repository name is not allowed"
		}
		candidate := head
		if i == 0 {
			candidate = strings.TrimLeft(s, "/")
		} else if tail[0] == '/' && tail != "/" {
			candidate = "" // a real path: no safe guess
		}
		if candidate != "" && !strings.ContainsAny(candidate, "/?#") {
			if u, err := parseAuthority(raw, region, candidate); err == nil {
				e.Suggestion = u.String()
			}
		}
		return URL{}, e
	}
	profile, repo := "", s
	switch strings.Count(s, "@") {
	case 0:
	case 1:
		profile, repo, _ = strings.Cut(s, "@")
		if profile == "" {
			return URL{}, &Error{Input: raw, Reason: "the profile before \"@\" is empty",
				hint: "drop the \"@\" to use the default profile, or write codecommit://PROFILE@REPO"}
		}
		if strings.Contains(profile, ":") {
			return fail("a password (\"PROFILE:...@\") is not allowed; codecommit URLs carry only a profile name")
		}
	default:
		return fail("more than one \"@\"; use at most one, between the profile and the repository")
	}
	if strings.Contains(repo, ":") {
		return fail("a port or \":\" after the repository name is not allowed")
	}
	if profile != "" {
		if err := ValidProfileName(profile); err != nil {
			return fail(err.Error())
		}
	}
	if err := ValidRepoName(repo); err != nil {
		e := &Error{Input: raw, Reason: err.Error()}
		if trimmed, ok := strings.CutSuffix(repo, ".git"); ok && ValidRepoName(trimmed) == nil {
			e.Suggestion = URL{Region: region, Profile: profile, Repo: trimmed}.String()
		}
		return URL{}, e
	}
	return URL{Region: region, Profile: profile, Repo: repo}, nil
}

// ParseArgs parses the arguments git passes to git-remote-codecommit after
// the program name: exactly the remote name and the URL. When there is no
// named remote (git ls-remote codecommit://x) git passes the URL as the
// remote name too; that is fine.
func ParseArgs(args []string) (remote string, u URL, err error) {
	if len(args) != 2 {
		return "", URL{}, &Error{
			Input:  strings.Join(args, " "),
			Reason: fmt.Sprintf("expected 2 (REMOTE URL), got %d", len(args)),
			args:   true,
		}
	}
	u, err = Parse(args[1])
	if err != nil {
		return "", URL{}, err
	}
	return args[0], u, nil
}
