package doctor

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
)

// helper is one credential.helper value in effect for the remote's URL.
type helper struct {
	value string
	name  string // store, cache, osxkeychain, … or "codecommit"
	ours  bool
}

// helperChain returns the credential helpers git runs for u, in order,
// after the resets (empty values) git applies.
func (d *doctor) helperChain(ctx context.Context, u string) []helper {
	out, _ := d.git.Git(ctx, "config", "-z", "--get-regexp", `^credential\..*helper$`)
	var chain []helper
	for _, entry := range strings.Split(out, "\x00") {
		key, val, _ := strings.Cut(entry, "\n")
		if key == "" {
			continue
		}
		if key != "credential.helper" {
			pattern := strings.TrimSuffix(strings.TrimPrefix(key, "credential."), ".helper")
			if !urlMatch(pattern, u) {
				continue
			}
		}
		if val == "" {
			chain = nil
			continue
		}
		chain = append(chain, classifyHelper(val))
	}
	return chain
}

func classifyHelper(v string) helper {
	f := strings.Fields(v)
	if len(f) == 0 {
		return helper{value: v, name: v}
	}
	name := filepath.Base(f[0])
	if strings.HasPrefix(f[0], "!") {
		name = "shell command"
	}
	name = strings.TrimPrefix(name, "git-credential-")
	return helper{value: v, name: name, ours: gitconfig.IsOurs(v)}
}

// urlMatch is git's credential URL matching, reduced to what matters here:
// same scheme, host labels equal or "*", same port, and a path prefix.
func urlMatch(pattern, raw string) bool {
	p, err1 := url.Parse(pattern)
	u, err2 := url.Parse(raw)
	if err1 != nil || err2 != nil || !strings.EqualFold(p.Scheme, u.Scheme) {
		return false
	}
	if p.User != nil && (u.User == nil || p.User.Username() != u.User.Username()) {
		return false
	}
	pl := strings.Split(strings.ToLower(p.Hostname()), ".")
	ul := strings.Split(strings.ToLower(u.Hostname()), ".")
	if len(pl) != len(ul) {
		return false
	}
	for i := range pl {
		if pl[i] != "*" && pl[i] != ul[i] {
			return false
		}
	}
	port := func(x *url.URL) string {
		if x.Port() == "" {
			return "443"
		}
		return x.Port()
	}
	if port(p) != port(u) {
		return false
	}
	pp := strings.TrimSuffix(p.Path, "/")
	return pp == "" || u.Path == pp || strings.HasPrefix(u.Path, pp+"/")
}

// helperArgs returns the --profile and --region of our helper in the chain
// of an https remote.
func (d *doctor) helperArgs(ctx context.Context) (profile, region string) {
	d.chain = d.helperChain(ctx, d.remote.https)
	for _, h := range d.chain {
		if ours, ok := gitconfig.ParseHelper(h.value); ok {
			profile, region = ours.Profile, ours.Region
		}
	}
	return profile, region
}

// storedLine is a line of a git-credential-store file for the host.
type storedLine struct {
	file string
	line int
}

// storeFiles are the files `git credential-store` reads by default.
func (d *doctor) storeFiles() []string {
	home := awsfiles.HomeDir(d.p.Getenv)
	if home == "" {
		return nil // never files relative to the working directory
	}
	xdg := d.p.Getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		xdg = filepath.Join(home, ".config")
	}
	return []string{filepath.Join(home, ".git-credentials"), filepath.Join(xdg, "git", "credentials")}
}

// storedFor finds stored credentials for host. It reads only the URL's host;
// the password is never kept or printed.
func (d *doctor) storedFor(host string) []storedLine {
	var found []storedLine
	for _, file := range d.storeFiles() {
		f, err := os.Open(file)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			n++
			u, err := url.Parse(strings.TrimSpace(sc.Text()))
			if err == nil && strings.EqualFold(u.Host, host) {
				found = append(found, storedLine{file: file, line: n})
			}
		}
		f.Close()
	}
	return found
}

func (s storedLine) String() string { return fmt.Sprintf("%s line %d", s.file, s.line) }

func joinStored(ls []storedLine) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, l.String())
	}
	return strings.Join(parts, ", ")
}

func (d *doctor) eraseFix() string {
	return fmt.Sprintf(`printf 'protocol=https\nhost=%s\n\n' | git credential-store erase`, d.host)
}

func (d *doctor) checkHelpers(ctx context.Context) result {
	if d.remote.kind != kindHTTPS {
		return ok("not used: git-remote-codecommit hands git the signed password itself and resets the credential helpers")
	}
	var names []string
	ours := -1
	for i, h := range d.chain {
		names = append(names, h.value)
		if h.ours && ours < 0 {
			ours = i
		}
	}
	chain := "helpers for " + d.remote.https + ": " + strings.Join(names, ", ")
	if len(names) == 0 {
		chain = "no credential helper for " + d.remote.https
	}
	if ours < 0 && d.usesGitCredentials() {
		return ok("%s; Git credentials are stored for %s (see git-credentials)", chain, d.host)
	}
	if ours < 0 {
		return fail(chain+"; none of them is codecommit, so git has no CodeCommit password to send", "git codecommit setup")
	}
	var warnings []string
	for i, h := range d.chain {
		if h.ours {
			continue
		}
		before := i < ours
		switch {
		case before && h.name == "store":
			if stored := d.storedFor(d.host); len(stored) > 0 {
				return fail(fmt.Sprintf("stale stored password: the store helper comes before codecommit and holds a CodeCommit password for %s (%s); git sends that old password and CodeCommit answers 403", d.host, joinStored(stored)),
					d.eraseFix()+"; then git codecommit setup (resets the helpers for CodeCommit hosts)")
			}
			warnings = append(warnings, "store comes before codecommit and will answer with the password it stores once it has one")
		case before && h.name == "cache":
			warnings = append(warnings, "cache comes before codecommit and may answer with a cached old password (credential-cache cannot be inspected)")
		case before:
			warnings = append(warnings, h.name+" comes before codecommit and answers with any password it stored")
		default:
			warnings = append(warnings, h.name+" also receives every short-lived CodeCommit password to store")
		}
	}
	if len(warnings) > 0 {
		fix := "git codecommit setup (adds a reset so only codecommit answers for CodeCommit hosts)"
		for _, h := range d.chain {
			if h.name == "cache" {
				fix = "git credential-cache exit; " + fix
			}
		}
		return warn(chain+"; "+strings.Join(warnings, "; "), fix)
	}
	return ok("%s", chain)
}

func (d *doctor) checkUseHTTPPath(ctx context.Context) result {
	if d.remote.kind != kindHTTPS {
		return ok("not needed for codecommit:// remotes")
	}
	if d.usesGitCredentials() {
		return ok("not needed with Git credentials stored for %s", d.host)
	}
	out, _ := d.git.Git(ctx, "config", "--type=bool", "--get-urlmatch", "credential.usehttppath", d.remote.https)
	if strings.TrimSpace(out) == "true" {
		return ok("credential.UseHttpPath is true for %s", d.remote.https)
	}
	return fail(fmt.Sprintf("UseHttpPath missing: credential.UseHttpPath is not true for https://%s, so git asks the helper for the host only and the signature, which covers the repository path, cannot be made", d.host),
		fmt.Sprintf("git config --global credential.https://%s.UseHttpPath true (or run git codecommit setup)", d.host))
}

func (d *doctor) checkSubmodules(ctx context.Context) result {
	out, _ := d.git.Git(ctx, "config", "--get", "protocol.codecommit.allow")
	v := strings.TrimSpace(out)
	top, _ := d.git.Git(ctx, "rev-parse", "--show-toplevel")
	uses := false
	if t := strings.TrimSpace(top); t != "" {
		if b, err := os.ReadFile(filepath.Join(t, ".gitmodules")); err == nil {
			uses = strings.Contains(strings.ToLower(string(b)), "codecommit:")
		}
	}
	switch {
	case v == "always":
		return ok("protocol.codecommit.allow is always: submodules may use codecommit:// URLs")
	case uses:
		return warn("this repository has codecommit:// submodules but protocol.codecommit.allow is "+orUnset(v)+": git refuses them during submodule updates", "git config --global protocol.codecommit.allow always")
	}
	return ok("protocol.codecommit.allow is %s (needed only for codecommit:// submodules: git config --global protocol.codecommit.allow always)", orUnset(v))
}

func orUnset(v string) string {
	if v == "" {
		return "unset"
	}
	return v
}

func (d *doctor) checkStoredPassword(ctx context.Context) result {
	stored := d.storedFor(d.host)
	cache := false
	storeUsed := false
	for _, h := range d.chain {
		cache = cache || h.name == "cache"
		storeUsed = storeUsed || h.name == "store"
	}
	switch {
	case len(stored) > 0 && storeUsed:
		return warn(fmt.Sprintf("a password for %s is stored in %s and the store helper is in use", d.host, joinStored(stored)), d.eraseFix())
	case len(stored) > 0:
		return warn(fmt.Sprintf("an old password for %s is stored in %s (unused while store is not configured for it)", d.host, joinStored(stored)), d.eraseFix())
	case cache:
		return warn("the cache helper is configured; it may hold an old CodeCommit password, and cannot be inspected", "git credential-cache exit")
	}
	return ok("no stored password for %s in %s", d.host, strings.Join(d.storeFiles(), " or "))
}
