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
	"strconv"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/names"
)

// Scheme is the URL scheme git maps to git-remote-codecommit.
const Scheme = "codecommit"

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
	return fmt.Sprintf("malformed codecommit URL %q: %s", failure.Clip(e.Input, 200), e.Reason)
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

// ProfileInURL reports whether profile can be written in a codecommit://
// URL: a valid profile name (package names) without "@", since the profile
// is everything before the first "@".
func ProfileInURL(profile string) error {
	if err := names.Profile(profile); err != nil {
		return err
	}
	if strings.Contains(profile, "@") {
		return &names.Error{Kind: names.KindProfile, Value: profile,
			Reason: fmt.Sprintf("profile %s contains \"@\", which a codecommit URL cannot carry (the profile is everything before the first \"@\"); choose it with AWS_PROFILE instead", strconv.Quote(profile))}
	}
	return nil
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

	// The scheme is case-insensitive, as in any URL (AWS's helper lowercases
	// it too).
	rest, explicitRegion := raw, false
	if hasPrefixFold(rest, regionPrefix) {
		rest, explicitRegion = rest[len(regionPrefix):], true
	} else if hasPrefixFold(rest, schemePrefix) {
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
		e := &Error{Input: raw, Reason: "\"codecommit::\" must be followed by a region, not by \"codecommit://\""}
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
	region, err := names.Region(scheme)
	if err != nil {
		return URL{}, &Error{Input: raw, Reason: fmt.Sprintf("invalid region %q; a region looks like us-east-1", scheme), hint: regionHint}
	}
	return parseAuthority(raw, region, after)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

const regionHint = "use codecommit::REGION://[PROFILE@]REPO with a region such as us-east-1, or codecommit://[PROFILE@]REPO to use the profile's region"

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
	case hasPrefixFold(rest, Scheme+":"):
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
	if found && names.Repository(name) == nil {
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

// parseAuthority parses "[PROFILE@]REPO", the part after "://". The
// profile is everything before the first "@", as in AWS's helper, so that
// any profile name the AWS files accept but "@" can be written.
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
	if strings.ContainsAny(s, "/?#") {
		if e := pastedCodeCommit(raw, s); e != nil {
			return URL{}, e
		}
	}
	profile, repo, hasProfile := strings.Cut(s, "@")
	if !hasProfile {
		profile, repo = "", s
	} else {
		if profile == "" {
			return URL{}, &Error{Input: raw, Reason: "the profile before \"@\" is empty",
				hint: "drop the \"@\" to use the default profile, or write codecommit://PROFILE@REPO"}
		}
		if err := names.Profile(profile); err != nil {
			return fail(err.Error())
		}
	}
	if i := strings.IndexAny(repo, "/?#"); i >= 0 {
		head, tail := repo[:i], repo[i:]
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
			candidate = strings.TrimLeft(repo, "/")
		} else if tail[0] == '/' && tail != "/" {
			candidate = "" // a real path: no safe guess
		}
		if candidate != "" && !strings.ContainsAny(candidate, "/?#") {
			if hasProfile {
				candidate = profile + "@" + candidate
			}
			if u, err := parseAuthority(raw, region, candidate); err == nil {
				e.Suggestion = u.String()
			}
		}
		return URL{}, e
	}
	if strings.Contains(repo, "@") {
		return fail("more than one \"@\": the profile is everything before the first \"@\", and a repository name has none (choose a profile whose name holds \"@\" with AWS_PROFILE)")
	}
	if strings.Contains(repo, ":") {
		return fail("a port or \":\" after the repository name is not allowed")
	}
	if err := names.Repository(repo); err != nil {
		e := &Error{Input: raw, Reason: err.Error()}
		if trimmed, ok := strings.CutSuffix(repo, ".git"); ok && names.Repository(trimmed) == nil {
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
