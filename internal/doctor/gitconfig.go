package doctor

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/safefile"
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
	var chain []helper
	for _, e := range d.helperLines(ctx) {
		key, val := e.Key, e.Value
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
	if gitconfig.IsOurs(v) {
		return helper{value: v, name: gitconfig.Name, ours: true} // by name or path, plain or "!"
	}
	return helper{value: v, name: name}
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

// helperLines are the credential helper lines of git's configuration, in
// the order git reads them: asked of git once per run (the git check, the
// url check and the helper chain all read them; doctor writes no
// configuration).
func (d *doctor) helperLines(ctx context.Context) []gitexec.KV {
	if d.helperLinesRead {
		return d.helperLinesCache
	}
	out, _ := d.git.Git(ctx, "config", "-z", "--get-regexp", `^credential\..*helper$`)
	var lines []gitexec.KV
	for _, entry := range strings.Split(out, "\x00") {
		if key, val, _ := strings.Cut(entry, "\n"); key != "" {
			lines = append(lines, gitexec.KV{Key: key, Value: val})
		}
	}
	d.helperLinesCache, d.helperLinesRead = lines, true
	return lines
}

// configuredHelper is the absolute path by which a helper line of git's
// configuration (the line setup writes) runs our credential helper, ""
// if none does: such a helper needs no PATH.
func (d *doctor) configuredHelper(ctx context.Context) string {
	for _, e := range d.helperLines(ctx) {
		if ours, ok := gitconfig.ParseHelper(e.Value); ok && ours.Path != "" && ours.Runnable() == nil {
			return ours.Path
		}
	}
	return ""
}

// helperByPath reports whether git runs our helper for u by an absolute
// path that holds it (the line setup writes), so it needs none on PATH.
func (d *doctor) helperByPath(ctx context.Context, u string) bool {
	for _, h := range d.helperChain(ctx, u) {
		if ours, ok := gitconfig.ParseHelper(h.value); ok && ours.Path != "" && ours.Runnable() == nil {
			return true
		}
	}
	return false
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

// storedLine is a line of a git-credential-store file that git would use
// for the remote.
type storedLine struct {
	file string
	line int
}

// storeFiles are the files `git credential-store` reads: those given with
// --file to a store helper in the chain, else its defaults.
func (d *doctor) storeFiles() []string {
	var files []string
	for _, h := range d.chain {
		if h.name != "store" {
			continue
		}
		f := strings.Fields(h.value)
		for i := 1; i < len(f); i++ {
			switch {
			case f[i] == "--file" && i+1 < len(f):
				files = append(files, expandTilde(f[i+1], awsfiles.HomeDir(d.p.Getenv)))
			case strings.HasPrefix(f[i], "--file="):
				files = append(files, expandTilde(strings.TrimPrefix(f[i], "--file="), awsfiles.HomeDir(d.p.Getenv)))
			}
		}
	}
	home := awsfiles.HomeDir(d.p.Getenv)
	if home == "" {
		return files // never files relative to the working directory
	}
	xdg := d.p.Getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		xdg = filepath.Join(home, ".config")
	}
	return append(files, filepath.Join(home, ".git-credentials"), filepath.Join(xdg, "git", "credentials"))
}

func expandTilde(p, home string) string {
	if strings.HasPrefix(p, "~/") && home != "" {
		return filepath.Join(home, p[2:])
	}
	return p
}

// storeEntry is a git-credential-store line decoded as git decodes it
// (credential_from_url): every part percent-decoded, so a host:port stored
// as 127.0.0.1%3a8443 reads as 127.0.0.1:8443. The password is kept only
// for the git-credentials probe, and never printed.
type storeEntry struct {
	protocol, host, path, user, password string
}

// decodeStoreLine reads one line of a credential-store file, or reports
// false. It is the one reader of those lines (see also parseStoreLine).
func decodeStoreLine(line string) (storeEntry, bool) {
	proto, rest, ok := strings.Cut(strings.TrimSpace(line), "://")
	if !ok || proto == "" {
		return storeEntry{}, false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	var e storeEntry
	hostStart := 0
	if at := strings.IndexByte(rest, '@'); at >= 0 && at < end {
		e.user, e.password, _ = strings.Cut(rest[:at], ":")
		hostStart = at + 1
	}
	host, path := rest[hostStart:end], ""
	if end < len(rest) {
		path = strings.Trim(rest[end+1:], "/")
	}
	var err1, err2, err3, err4 error
	e.protocol = proto
	e.host, err1 = url.PathUnescape(host)
	e.path, err2 = url.PathUnescape(path)
	e.user, err3 = url.PathUnescape(e.user)
	e.password, err4 = url.PathUnescape(e.password)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return storeEntry{}, false
	}
	return e, true
}

// credentialQuery is what git asks its helpers for the remote: protocol,
// host[:port], and the repository path only when credential.UseHttpPath is
// true for the URL.
type credentialQuery struct {
	host, path string
}

func (d *doctor) query(ctx context.Context) credentialQuery {
	q := credentialQuery{host: d.host}
	if d.remote.kind == kindHTTPS {
		out, _ := d.git.Git(ctx, "config", "--type=bool", "--get-urlmatch", "credential.usehttppath", d.remote.https)
		if strings.TrimSpace(out) == "true" {
			q.path = strings.Trim(d.repoPath(), "/")
		}
	}
	return q
}

// matches is git's credential_match(want=q, have=e): every field git asks
// with must be in the entry, equal; fields git does not send match anything.
// So with UseHttpPath an entry without a path (or for another path) is never
// used.
func (q credentialQuery) matches(e storeEntry) bool {
	return e.protocol == "https" && e.host == q.host && (q.path == "" || e.path == q.path)
}

// storedFor finds the stored credentials git would use for the remote, and
// counts those for its host that git never uses (another path, or none while
// git sends one). Only URLs are read; passwords are never kept or printed.
func (d *doctor) storedFor(ctx context.Context) (used []storedLine, unused int) {
	q := d.query(ctx)
	seen := map[string]bool{}
	for _, file := range d.storeFiles() {
		if seen[file] {
			continue
		}
		seen[file] = true
		b, err := safefile.Read(file, 0)
		if err != nil {
			continue
		}
		for n, line := range strings.Split(string(b), "\n") {
			e, ok := decodeStoreLine(line)
			switch {
			case !ok || e.host != q.host:
			case q.matches(e):
				used = append(used, storedLine{file: file, line: n + 1})
			default:
				unused++
			}
		}
	}
	return used, unused
}

func (s storedLine) String() string { return fmt.Sprintf("%s line %d", s.file, s.line) }

func joinStored(ls []storedLine) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, l.String())
	}
	return strings.Join(parts, ", ")
}

// eraseFix is the git credential-store command that erases exactly the
// entries git uses for the remote (its host, and its path when git sends
// one), from each file holding them.
func (d *doctor) eraseFix(ctx context.Context, stored []storedLine) string {
	q := d.query(ctx)
	in := "protocol=https\\nhost=" + q.host + "\\n"
	if q.path != "" {
		in += "path=" + q.path + "\\n"
	}
	var cmds []string
	done := map[string]bool{}
	for _, s := range stored {
		if done[s.file] {
			continue
		}
		done[s.file] = true
		cmds = append(cmds, fmt.Sprintf("printf '%s\\n' | git credential-store --file %s erase", in, s.file))
	}
	return strings.Join(cmds, "; ")
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
	h, _ := gitconfig.ParseHelper(d.chain[ours].value)
	if err := h.Runnable(); err != nil {
		return fromError(err) // gitconfig.HelperMissingError: rerun setup
	}
	if h.Path == "" {
		// The name form (earlier versions', or setup's where no helper is
		// installed beside git-codecommit): a git process per helper run.
		if installed := gitconfig.HelperPath(d.p); installed != "" {
			chain += "; codecommit runs by name, through git's wrapper `git credential-codecommit` (git codecommit setup writes " + installed + " instead, which git starts directly)"
		} else if gitconfig.RunsByPath {
			chain += "; codecommit runs by name, through git's wrapper `git credential-codecommit` (no " + gitconfig.HelperProgram + " beside this git-codecommit, so setup writes the name)"
		}
	}
	var warnings []string
	for i, h := range d.chain {
		if h.ours {
			continue
		}
		before := i < ours
		switch {
		case before && h.name == "store":
			if stored, _ := d.storedFor(ctx); len(stored) > 0 {
				return fail(fmt.Sprintf("stale stored password: the store helper comes before codecommit and holds a CodeCommit password for %s (%s); git sends that old password and CodeCommit answers 403", d.host, joinStored(stored)),
					d.eraseFix(ctx, stored)+"; then git codecommit setup (resets the helpers for CodeCommit hosts)")
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
	stored, unused := d.storedFor(ctx)
	cache := false
	storeUsed := false
	for _, h := range d.chain {
		cache = cache || h.name == "cache"
		storeUsed = storeUsed || h.name == "store"
	}
	harmless := ""
	if unused > 0 {
		harmless = fmt.Sprintf("; %d stored entr%s for %s that git never uses for this repository (another path, or none while credential.UseHttpPath sends one)", unused, map[bool]string{true: "y", false: "ies"}[unused == 1], d.host)
	}
	switch {
	case len(stored) > 0 && storeUsed:
		return warn(fmt.Sprintf("a password for %s is stored in %s and the store helper is in use", d.host, joinStored(stored)), d.eraseFix(ctx, stored))
	case len(stored) > 0:
		return warn(fmt.Sprintf("an old password for %s is stored in %s (unused while store is not configured for it)", d.host, joinStored(stored)), d.eraseFix(ctx, stored))
	case cache:
		return warn("the cache helper is configured; it may hold an old CodeCommit password, and cannot be inspected", "git credential-cache exit")
	}
	return ok("no stored password git would use for %s in %s%s", d.host, strings.Join(d.storeFiles(), " or "), harmless)
}
