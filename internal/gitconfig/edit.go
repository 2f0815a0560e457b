package gitconfig

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
)

// Local is the configuration of one https remote in one repository (for
// "git codecommit clone --https"): credential.<URL>.helper reset with an
// empty value and then set to the helper value (Helper.String),
// credential.<URL>.UseHttpPath true and, where the git in use reads it
// (gitexec.ProactiveAuth, by the version git reports),
// http.<URL>.proactiveAuth basic. The same entries go on the clone's own
// command line (Args), so its initial fetch already uses them, and into
// the new repository's local config (Write).
type Local struct {
	URL           string
	Helper        Helper
	ProactiveAuth bool
}

// NewLocal validates the helper's profile and region and the URL and asks
// r's git its version (once) for proactiveAuth.
func NewLocal(ctx context.Context, r gitexec.Runner, remoteURL string, h Helper) (Local, error) {
	l := Local{URL: remoteURL, Helper: h}
	if err := l.Helper.Validate(); err != nil {
		return Local{}, err
	}
	if !strings.HasPrefix(remoteURL, "https://") || strings.ContainsAny(remoteURL, "\x00\r\n") {
		return Local{}, errors.New("remote URL must be an https URL without control characters")
	}
	var err error
	if l.ProactiveAuth, err = GitHas(ctx, r, gitexec.ProactiveAuth); err != nil {
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
	c := &Editor{Runner: r, Scope: []string{"--local"}, Out: io.Discard}
	e := l.Entries()
	// e[0] and e[1] are the helper reset and the helper: EnsureHelper's.
	if err := c.EnsureHelper(ctx, e[1].Key, e[1].Value); err != nil {
		return err
	}
	for _, kv := range e[2:] {
		if err := c.EnsureValue(ctx, kv.Key, kv.Value); err != nil {
			return err
		}
	}
	return nil
}

// ProactiveAuth is the http.<url>.proactiveAuth value setup and clone --https write on git
// 2.46 and later: git asks the credential helper before its first request
// and sends the answer as Basic authorization (CodeCommit's scheme), so
// there is no 401 round trip. Older git ignores the key; setup writes it
// only where the git in use reads it, and --undo removes it everywhere.
const ProactiveAuth = "basic"

// GitHas reports whether the git r runs has feature f, by the version it
// reports.
func GitHas(ctx context.Context, r gitexec.Runner, f gitexec.Feature) (bool, error) {
	v, err := gitexec.GitVersion(ctx, r)
	if err != nil {
		return false, err
	}
	return v.Has(f), nil
}

// Editor edits one scope of git's configuration through `git config`,
// keeping every value that is not ours: the one writer of our lines (setup
// edits a scope with it, clone --https a new repository's local config).
// It reports each change on Out and records that one was made in Changed.
type Editor struct {
	Runner  gitexec.Runner
	Scope   []string // e.g. {"--global"} or {"--file", path}
	Out     io.Writer
	Changed bool
}

func (c *Editor) git(ctx context.Context, args ...string) (string, error) {
	return c.Runner.Git(ctx, append(append([]string{"config"}, c.Scope...), args...)...)
}

// GetAll returns all values of key in the scope (nil if unset).
func (c *Editor) GetAll(ctx context.Context, key string) ([]string, error) {
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

func (c *Editor) add(ctx context.Context, key, val string) error {
	if _, err := c.git(ctx, "--add", key, val); err != nil {
		return err
	}
	c.Changed = true
	fmt.Fprintf(c.Out, "set %s %q\n", key, val)
	return nil
}

func (c *Editor) unsetAll(ctx context.Context, key, valueRE string, removed []string) error {
	args := []string{"--unset-all", key}
	if valueRE != "" {
		args = append(args, valueRE)
	}
	if _, err := c.git(ctx, args...); err != nil {
		return err
	}
	c.Changed = true
	for _, v := range removed {
		fmt.Fprintf(c.Out, "unset %s %q\n", key, v)
	}
	return nil
}

// classify splits helper values into the user's and ours: a value
// gitconfig recognises is ours, and so is an empty value directly before it
// (the reset we add in front of it).
func classify(vals []string) (mine []bool, user []string, oursEmpty, allEmpty int) {
	mine = make([]bool, len(vals))
	for i, v := range vals {
		if IsOurs(v) {
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

// EnsureHelper makes the values of key end in ["", helper], keeping the
// user's own values (in order) in front and dropping any other values
// of ours.
func (c *Editor) EnsureHelper(ctx context.Context, key, helper string) error {
	vals, err := c.GetAll(ctx, key)
	if err != nil {
		return err
	}
	mine, user, oursEmpty, allEmpty := classify(vals)
	want := append(append([]string(nil), user...), "", helper)
	if equal(vals, want) {
		return nil
	}
	// Only our value differs (another form or options, e.g. the name form
	// of earlier versions): replace that one line where it stands.
	if n := len(vals); n == len(want) && mine[n-1] && equal(vals[:n-1], want[:n-1]) && count(vals, vals[n-1]) == 1 {
		if _, err := c.git(ctx, key, helper, exactERE(vals[n-1])); err != nil {
			return err
		}
		c.Changed = true
		fmt.Fprintf(c.Out, "unset %s %q\nset %s %q (in its place)\n", key, vals[n-1], key, helper)
		return nil
	}
	return c.rewrite(ctx, key, vals, mine, user, oursEmpty, allEmpty, []string{"", helper})
}

// RemoveHelper removes our values (and their empty resets) from key.
func (c *Editor) RemoveHelper(ctx context.Context, key string) error {
	vals, err := c.GetAll(ctx, key)
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
func (c *Editor) rewrite(ctx context.Context, key string, vals []string, mine []bool, user []string, oursEmpty, allEmpty int, tail []string) error {
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
	fmt.Fprintf(c.Out, "rewrote %s to keep only your own helpers before ours\n", key)
	for _, v := range append(append([]string(nil), user...), tail...) {
		if err := c.add(ctx, key, v); err != nil {
			return err
		}
	}
	return nil
}

// EnsureValue makes key single-valued and equal (case-insensitively) to val.
func (c *Editor) EnsureValue(ctx context.Context, key, val string) error {
	vals, err := c.GetAll(ctx, key)
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
	c.Changed = true
	fmt.Fprintf(c.Out, "set %s %s\n", key, val)
	return nil
}

// RemoveValue removes the values of key equal (case-insensitively) to val.
func (c *Editor) RemoveValue(ctx context.Context, key, val string) error {
	vals, err := c.GetAll(ctx, key)
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

func count(vals []string, v string) int {
	n := 0
	for _, x := range vals {
		if x == v {
			n++
		}
	}
	return n
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
