// Package setup implements "git codecommit setup": it writes git
// configuration so that https CodeCommit remotes use the
// git-credential-codecommit helper and no other credential helper (such
// as store, osxkeychain or manager) ever sees or stores the short-lived
// CodeCommit password. It can also undo exactly that configuration.
//
// Scope: every change is made by the real "git config" command (via an
// injected Runner) on a private copy of the scope's config file; the result
// replaces the file in one rename, through git's own PATH.lock protocol and
// under a lock on the file's directory (filelock.LockDir). So concurrent runs
// end with the file one of them wrote, and a kill at any point leaves the
// file as it was before or as it is after, never a helper reset without our
// helper. --dry-run diffs the copy instead. Our helper value and the URL
// patterns come from package gitconfig. The process boundary (environment,
// git runner, output) is passed in by the caller; nothing is read from
// process globals.
//
// Compatibility: only git ≥ 2.20 features are used (no --fixed-value);
// values are matched with anchored, escaped POSIX extended regexps. Where
// the git in use reads http.<url>.proactiveAuth (2.46 and later, decided by
// the version git reports), setup and clone --https also write it.
//
// Known limits, because setup keeps no state of its own:
//   - --undo removes UseHttpPath=true and protocol.codecommit.allow=always
//     under our URL patterns even if the user had set them before setup.
//   - If the config file did not exist before setup, it exists but is
//     empty after --undo.
//   - A config file that did not end in a newline gains one.
package setup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/atomicfile"
	"github.com/gitcodecommit/git-codecommit/internal/filelock"
	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
)

// URLPatterns are the credential.<url> patterns setup configures: every
// CodeCommit host form the credential helper answers (gitconfig.URLPatterns).
var URLPatterns = gitconfig.URLPatterns()

// ValidateProfile reports whether profile can be passed to the credential
// helper: the helper's own rule (gitconfig.Helper.Validate). The empty
// profile (use the default chain) is valid.
func ValidateProfile(profile string) error {
	return gitconfig.Helper{Profile: profile}.Validate()
}

// HelperValue returns the credential.helper value for profile:
// "codecommit" or "codecommit --profile P" (gitconfig.Helper).
func HelperValue(profile string) string {
	return gitconfig.Helper{Profile: profile}.String()
}

// Options configure Run.
type Options struct {
	Scope   string // "global" (default), "system", "local" or "file"
	File    string // config file for Scope "file"
	Profile string // AWS profile passed to the helper; "" for none
	Undo    bool   // remove what setup adds
	DryRun  bool   // print a diff of the config file instead of writing
	Out     io.Writer
	Env     func(string) string // environment lookup (HOME, XDG_CONFIG_HOME, GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM, TMPDIR)
}

// Run performs "git codecommit setup" as described by o.
func Run(ctx context.Context, r gitexec.Runner, o Options) error {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Env == nil {
		o.Env = func(string) string { return "" }
	}
	if o.Scope == "" {
		o.Scope = "global"
		if o.File != "" {
			o.Scope = "file"
		}
	}
	if err := ValidateProfile(o.Profile); err != nil {
		return err
	}
	switch o.Scope {
	case "global", "system", "local":
		if o.File != "" {
			return fmt.Errorf("--file cannot be combined with --%s", o.Scope)
		}
	case "file":
		if o.File == "" {
			return errors.New("scope file needs a file name")
		}
	default:
		return fmt.Errorf("unknown scope %q", o.Scope)
	}
	path, err := configPath(ctx, r, o)
	if err != nil {
		return err
	}
	if o.DryRun {
		return dryRun(ctx, r, o, path)
	}
	target, err := atomicfile.ResolveLinks(path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	unlock, err := filelock.LockDir(ctx, filepath.Dir(target), nil)
	if err != nil {
		return fmt.Errorf("locking %s: %w", filepath.Dir(target), err)
	}
	defer unlock()
	// Edit, then replace the file unless another git changed it meanwhile
	// (then edit again from what it wrote: nobody's change is lost).
	for attempt := 0; ; attempt++ {
		var msgs bytes.Buffer
		ed, err := editCopy(ctx, r, o, target, &msgs)
		if err != nil {
			return err
		}
		if !ed.changed || bytes.Equal(ed.before, ed.after) {
			break
		}
		err = commit(ctx, target, ed.before, ed.after, ed.perm)
		if errors.Is(err, errChanged) && attempt < 5 {
			continue
		}
		if err != nil {
			return err
		}
		_, err = o.Out.Write(msgs.Bytes())
		return err
	}
	if o.Undo {
		fmt.Fprintf(o.Out, "nothing to undo (%s config)\n", o.Scope)
	} else {
		fmt.Fprintf(o.Out, "already configured (%s config)\n", o.Scope)
	}
	return nil
}

// apply performs the setup (or undo) steps against c.
func apply(ctx context.Context, c *cfg, o Options) error {
	proactive := false
	if !o.Undo {
		var err error
		if proactive, err = gitHas(ctx, c.r, gitexec.ProactiveAuth); err != nil {
			return err
		}
	}
	for _, u := range URLPatterns {
		helperKey := "credential." + u + ".helper"
		pathKey := "credential." + u + ".UseHttpPath"
		authKey := "http." + u + ".proactiveAuth"
		if o.Undo {
			if err := c.removeHelper(ctx, helperKey); err != nil {
				return err
			}
			if err := c.removeValue(ctx, pathKey, "true"); err != nil {
				return err
			}
			if err := c.removeValue(ctx, authKey, ProactiveAuth); err != nil {
				return err
			}
			continue
		}
		if err := c.ensureHelper(ctx, helperKey, HelperValue(o.Profile)); err != nil {
			return err
		}
		if err := c.ensureValue(ctx, pathKey, "true"); err != nil {
			return err
		}
		if proactive {
			if err := c.ensureValue(ctx, authKey, ProactiveAuth); err != nil {
				return err
			}
		}
	}
	if o.Undo {
		return c.removeValue(ctx, "protocol.codecommit.allow", "always")
	}
	return c.ensureValue(ctx, "protocol.codecommit.allow", "always")
}

// Local is the configuration of one https remote in one repository (for
// "git codecommit clone --https"): credential.<URL>.helper reset with an
// empty value and then set to "codecommit [--profile P] [--region R]",
// credential.<URL>.UseHttpPath true and, where the git in use reads it
// (gitexec.ProactiveAuth, by the version git reports),
// http.<URL>.proactiveAuth basic. The same entries go on the clone's own
// command line (Args), so its initial fetch already uses them, and into
// the new repository's local config (Write).
type Local struct {
	URL           string
	Helper        gitconfig.Helper
	ProactiveAuth bool
}

// NewLocal validates the profile, region and URL and asks r's git its
// version (once) for proactiveAuth.
func NewLocal(ctx context.Context, r gitexec.Runner, remoteURL, profile, region string) (Local, error) {
	l := Local{URL: remoteURL, Helper: gitconfig.Helper{Profile: profile, Region: region}}
	if err := l.Helper.Validate(); err != nil {
		return Local{}, err
	}
	if !strings.HasPrefix(remoteURL, "https://") || strings.ContainsAny(remoteURL, "\x00\r\n") {
		return Local{}, errors.New("remote URL must be an https URL without control characters")
	}
	var err error
	if l.ProactiveAuth, err = gitHas(ctx, r, gitexec.ProactiveAuth); err != nil {
		return Local{}, err
	}
	return l, nil
}

// Entries are l's configuration entries, in the order git reads them.
func (l Local) Entries() []gitexec.KV {
	e := []gitexec.KV{
		{Key: "credential." + l.URL + ".helper", Value: ""},
		{Key: "credential." + l.URL + ".helper", Value: l.Helper.String()},
		{Key: "credential." + l.URL + ".UseHttpPath", Value: "true"},
	}
	if l.ProactiveAuth {
		e = append(e, gitexec.KV{Key: "http." + l.URL + ".proactiveAuth", Value: ProactiveAuth})
	}
	return e
}

// Args are l's entries as git options ("-c", "key=value", ...), to put
// before git's subcommand.
func (l Local) Args() []string {
	var a []string
	for _, e := range l.Entries() {
		a = append(a, "-c", e.Key+"="+e.Value)
	}
	return a
}

// Write configures the local config of the repository r works in with l.
// It is idempotent and replaces a previous helper value of ours.
func (l Local) Write(ctx context.Context, r gitexec.Runner) error {
	c := &cfg{r: r, scope: []string{"--local"}, out: io.Discard}
	e := l.Entries()
	// e[0] and e[1] are the helper reset and the helper: ensureHelper's.
	if err := c.ensureHelper(ctx, e[1].Key, e[1].Value); err != nil {
		return err
	}
	for _, kv := range e[2:] {
		if err := c.ensureValue(ctx, kv.Key, kv.Value); err != nil {
			return err
		}
	}
	return nil
}

// ConfigureLocalRepo configures the local config of the repository r works
// in so that the exact remoteURL uses only our helper (NewLocal, then
// Write).
func ConfigureLocalRepo(ctx context.Context, r gitexec.Runner, remoteURL, profile, region string) error {
	l, err := NewLocal(ctx, r, remoteURL, profile, region)
	if err != nil {
		return err
	}
	return l.Write(ctx, r)
}

// ProactiveAuth is the http.<url>.proactiveAuth value setup writes on git
// 2.46 and later: git asks the credential helper before its first request
// and sends the answer as Basic authorization (CodeCommit's scheme), so
// there is no 401 round trip. Older git ignores the key; setup writes it
// only where the git in use reads it, and --undo removes it everywhere.
const ProactiveAuth = "basic"

// gitHas reports whether the git r runs has feature f, by its version.
func gitHas(ctx context.Context, r gitexec.Runner, f gitexec.Feature) (bool, error) {
	v, err := gitexec.GitVersion(ctx, r)
	if err != nil {
		return false, err
	}
	return v.Has(f), nil
}

// cfg edits one config scope through git config.
type cfg struct {
	r       gitexec.Runner
	scope   []string // e.g. {"--global"} or {"--file", path}
	out     io.Writer
	changed bool
}

func (c *cfg) git(ctx context.Context, args ...string) (string, error) {
	return c.r.Git(ctx, append(append([]string{"config"}, c.scope...), args...)...)
}

// getAll returns all values of key in the scope (nil if unset).
func (c *cfg) getAll(ctx context.Context, key string) ([]string, error) {
	out, err := c.git(ctx, "-z", "--get-all", key)
	if err != nil {
		if gitexec.ExitCode(err) == 1 {
			return nil, nil
		}
		return nil, err
	}
	vals := strings.Split(out, "\x00")
	return vals[:len(vals)-1], nil // output is NUL-terminated
}

func (c *cfg) add(ctx context.Context, key, val string) error {
	if _, err := c.git(ctx, "--add", key, val); err != nil {
		return err
	}
	c.changed = true
	fmt.Fprintf(c.out, "set %s %q\n", key, val)
	return nil
}

func (c *cfg) unsetAll(ctx context.Context, key, valueRE string, removed []string) error {
	args := []string{"--unset-all", key}
	if valueRE != "" {
		args = append(args, valueRE)
	}
	if _, err := c.git(ctx, args...); err != nil {
		return err
	}
	c.changed = true
	for _, v := range removed {
		fmt.Fprintf(c.out, "unset %s %q\n", key, v)
	}
	return nil
}

// classify splits helper values into the user's and ours: a value
// gitconfig recognises is ours, and so is an empty value directly before it
// (the reset we add in front of it).
func classify(vals []string) (mine []bool, user []string, oursEmpty, allEmpty int) {
	mine = make([]bool, len(vals))
	for i, v := range vals {
		if gitconfig.IsOurs(v) {
			mine[i] = true
			if i > 0 && vals[i-1] == "" && !mine[i-1] {
				mine[i-1] = true
				oursEmpty++
			}
		}
	}
	for i, v := range vals {
		if v == "" {
			allEmpty++
		}
		if !mine[i] {
			user = append(user, v)
		}
	}
	return mine, user, oursEmpty, allEmpty
}

// ensureHelper makes the values of key end in ["", helper], keeping the
// user's own values (in order) in front and dropping any other values
// of ours.
func (c *cfg) ensureHelper(ctx context.Context, key, helper string) error {
	vals, err := c.getAll(ctx, key)
	if err != nil {
		return err
	}
	mine, user, oursEmpty, allEmpty := classify(vals)
	want := append(append([]string(nil), user...), "", helper)
	if equal(vals, want) {
		return nil
	}
	return c.rewrite(ctx, key, vals, mine, user, oursEmpty, allEmpty, []string{"", helper})
}

// removeHelper removes our values (and their empty resets) from key.
func (c *cfg) removeHelper(ctx context.Context, key string) error {
	vals, err := c.getAll(ctx, key)
	if err != nil {
		return err
	}
	mine, user, oursEmpty, allEmpty := classify(vals)
	if len(user) == len(vals) {
		return nil
	}
	return c.rewrite(ctx, key, vals, mine, user, oursEmpty, allEmpty, nil)
}

// rewrite turns vals into user+tail. Preferably it removes only our
// values with value regexps and appends tail, leaving the user's lines
// untouched; when an empty value of the user's cannot be told apart
// from ours by regexp, it rewrites the whole multi-valued key in order.
func (c *cfg) rewrite(ctx context.Context, key string, vals []string, mine []bool, user []string, oursEmpty, allEmpty int, tail []string) error {
	if oursEmpty == 0 || oursEmpty == allEmpty {
		var removed []string
		done := map[string]bool{}
		for i, v := range vals {
			if mine[i] && v != "" && !done[v] {
				done[v] = true
				removed = append(removed, v)
			}
		}
		for _, v := range removed {
			if err := c.unsetAll(ctx, key, exactERE(v), []string{v}); err != nil {
				return err
			}
		}
		if oursEmpty > 0 {
			if err := c.unsetAll(ctx, key, "^$", make([]string, oursEmpty)); err != nil {
				return err
			}
		}
		for _, v := range tail {
			if err := c.add(ctx, key, v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := c.unsetAll(ctx, key, "", nil); err != nil {
		return err
	}
	fmt.Fprintf(c.out, "rewrote %s to keep only your own helpers before ours\n", key)
	for _, v := range append(append([]string(nil), user...), tail...) {
		if err := c.add(ctx, key, v); err != nil {
			return err
		}
	}
	return nil
}

// ensureValue makes key single-valued and equal (case-insensitively) to val.
func (c *cfg) ensureValue(ctx context.Context, key, val string) error {
	vals, err := c.getAll(ctx, key)
	if err != nil {
		return err
	}
	if len(vals) == 1 && strings.EqualFold(vals[0], val) {
		return nil
	}
	args := []string{key, val}
	if len(vals) > 1 {
		args = []string{"--replace-all", key, val}
	}
	if _, err := c.git(ctx, args...); err != nil {
		return err
	}
	c.changed = true
	fmt.Fprintf(c.out, "set %s %s\n", key, val)
	return nil
}

// removeValue removes the values of key equal (case-insensitively) to val.
func (c *cfg) removeValue(ctx context.Context, key, val string) error {
	vals, err := c.getAll(ctx, key)
	if err != nil {
		return err
	}
	var removed []string
	for _, v := range vals {
		if strings.EqualFold(v, val) {
			removed = append(removed, v)
		}
	}
	if len(removed) == 0 {
		return nil
	}
	return c.unsetAll(ctx, key, caselessERE(val), removed)
}

// exactERE returns an anchored POSIX ERE matching s exactly.
func exactERE(s string) string {
	return "^" + regexp.QuoteMeta(s) + "$"
}

// caselessERE returns an anchored POSIX ERE matching s exactly, ignoring
// ASCII case; other characters are escaped with brackets.
func caselessERE(s string) string {
	var b strings.Builder
	b.WriteByte('^')
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			fmt.Fprintf(&b, "[%c%c]", r|0x20, r&^0x20)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteByte('$')
	return b.String()
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
