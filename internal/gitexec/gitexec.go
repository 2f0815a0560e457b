// Package gitexec runs git for the helpers: it finds git's version, builds
// the configuration a child git receives through its environment
// (GIT_CONFIG_COUNT on git 2.31 and later, GIT_CONFIG_PARAMETERS before),
// reads git's booleans and predicts curl's trace in git remote-https (one
// home for git's GIT_CURL_VERBOSE, GIT_TRACE_CURL and GIT_TRACE_REDACT
// rules), and hands a remote over to `git remote-https` with the signed
// credential delivered through an inherited pipe (an http.extraHeader that
// git sends with its first request), never through arguments, environment
// variables or files, with credential helpers and redirects confined to the
// endpoint.
package gitexec

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Version is a git version.
type Version struct{ Major, Minor, Patch int }

// AtLeast reports whether v is major.minor or later.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

var versionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`git version (\d+)\.(\d+)(?:\.(\d+))?`) })

// ParseVersion parses the output of `git version`.
func ParseVersion(out string) (Version, error) {
	m := versionRE().FindStringSubmatch(out)
	if m == nil {
		return Version{}, fmt.Errorf("cannot read the git version from %q", strings.TrimSpace(out))
	}
	var v Version
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		v.Patch, _ = strconv.Atoi(m[3])
	}
	return v, nil
}

// GitVersion runs `git version`.
func GitVersion(ctx context.Context, git Runner) (Version, error) {
	out, err := git.Git(ctx, "version")
	if err != nil {
		return Version{}, err
	}
	return ParseVersion(out)
}

// Feature is a git behaviour the toolset uses or tests, and the release that
// brought it. Code that must differ by version asks Has with the version
// git reports, where it is not on a helper's hot path (setup, doctor,
// tests); the helpers themselves work the same on every version.
type Feature struct {
	Name  string
	Since Version
}

// The features that differ between the gits people run.
var (
	// ConfigCount: GIT_CONFIG_COUNT/KEY_n/VALUE_n (before, only
	// GIT_CONFIG_PARAMETERS). ConfigEnv writes both, so it needs no version.
	ConfigCount = Feature{"GIT_CONFIG_COUNT", Version{2, 31, 0}}
	// PasswordExpiry: git reads password_expiry_utc, never uses or stores
	// a credential past it, and credential-cache keeps it (credential-store
	// does not: its file has no field for it).
	PasswordExpiry = Feature{"password_expiry_utc", Version{2, 41, 0}}
	// CredentialCapabilities: credential requests carry capability[] lines,
	// and helpers may answer authtype and credential.
	CredentialCapabilities = Feature{"credential capability[] (authtype)", Version{2, 46, 0}}
	// ProactiveAuth: http.proactiveAuth makes git ask the credential helper
	// before its first request, saving the 401 round trip.
	ProactiveAuth = Feature{"http.proactiveAuth", Version{2, 46, 0}}
)

// Has reports whether v has feature f.
func (v Version) Has(f Feature) bool { return v.AtLeast(f.Since.Major, f.Since.Minor) }

// MinVersion is the oldest git the helpers support: the oldest the whole
// test suite runs on (make test-git: 2.30.2, 2.39.5, 2.47.3).
var MinVersion = Version{2, 30, 0}

// KV is one configuration entry.
type KV struct{ Key, Value string }

// ConfigEnv returns env with entries added to git's command-line
// configuration, after any already there, as `git -c` would. It needs no
// git version: the entries go both into GIT_CONFIG_COUNT (git 2.31 and
// later) and, in the 'key=value' form every git reads, into
// GIT_CONFIG_PARAMETERS (older git, which ignores GIT_CONFIG_COUNT). Git
// 2.31 and later read both; the entries this package writes (a helper chain
// reset, then one helper) mean the same read once or twice.
func ConfigEnv(env []string, entries []KV) ([]string, error) {
	p := &proc.Proc{Environ: env}
	out := append([]string(nil), env...)
	n := 0
	if s, ok := p.LookupEnv("GIT_CONFIG_COUNT"); ok && s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 0 {
			return nil, fmt.Errorf("GIT_CONFIG_COUNT=%q is not a count", s)
		}
	}
	params := p.Getenv("GIT_CONFIG_PARAMETERS")
	for i, e := range entries {
		out = append(out, fmt.Sprintf("GIT_CONFIG_KEY_%d=%s", n+i, e.Key), fmt.Sprintf("GIT_CONFIG_VALUE_%d=%s", n+i, e.Value))
		if params != "" {
			params += " "
		}
		params += shellQuote(e.Key + "=" + e.Value)
	}
	out = proc.WithEnv(out, "GIT_CONFIG_COUNT", strconv.Itoa(n+len(entries)))
	return proc.WithEnv(out, "GIT_CONFIG_PARAMETERS", params), nil
}

// shellQuote quotes s the way git's sq_quote_buf does.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
