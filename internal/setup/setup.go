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
// helper. --dry-run diffs the copy instead. Our helper value, the URL
// patterns and the editing of values (gitconfig.Editor) are package
// gitconfig's. The process boundary (environment, git runner, output) is
// passed in by the caller; nothing is read from process globals.
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

	"github.com/gitcodecommit/git-codecommit/internal/atomicfile"
	"github.com/gitcodecommit/git-codecommit/internal/filelock"
	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
)

// Options configure Run.
type Options struct {
	Scope   string // "global" (default), "system", "local" or "file"
	File    string // config file for Scope "file"
	Profile string // AWS profile passed to the helper; "" for none
	// HelperPath is the absolute path of git-credential-codecommit the
	// helper value runs it by (gitconfig.HelperPath); "" writes the name
	// form, "codecommit", which git runs through its git wrapper.
	HelperPath string
	Undo       bool // remove what setup adds
	DryRun     bool // print a diff of the config file instead of writing
	Out        io.Writer
	Env        func(string) string // environment lookup (HOME, XDG_CONFIG_HOME, GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM, TMPDIR)
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
	if err := (gitconfig.Helper{Profile: o.Profile}).Validate(); err != nil {
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
func apply(ctx context.Context, c *gitconfig.Editor, o Options) error {
	proactive := false
	if !o.Undo {
		var err error
		if proactive, err = gitconfig.GitHas(ctx, c.Runner, gitexec.ProactiveAuth); err != nil {
			return err
		}
	}
	for _, u := range gitconfig.URLPatterns() {
		helperKey := "credential." + u + ".helper"
		pathKey := "credential." + u + ".UseHttpPath"
		authKey := "http." + u + ".proactiveAuth"
		if o.Undo {
			if err := c.RemoveHelper(ctx, helperKey); err != nil {
				return err
			}
			if err := c.RemoveValue(ctx, pathKey, "true"); err != nil {
				return err
			}
			if err := c.RemoveValue(ctx, authKey, gitconfig.ProactiveAuth); err != nil {
				return err
			}
			continue
		}
		if err := c.EnsureHelper(ctx, helperKey, gitconfig.Helper{Path: o.HelperPath, Profile: o.Profile}.String()); err != nil {
			return err
		}
		if err := c.EnsureValue(ctx, pathKey, "true"); err != nil {
			return err
		}
		if proactive {
			if err := c.EnsureValue(ctx, authKey, gitconfig.ProactiveAuth); err != nil {
				return err
			}
		}
	}
	if o.Undo {
		return c.RemoveValue(ctx, "protocol.codecommit.allow", "always")
	}
	return c.EnsureValue(ctx, "protocol.codecommit.allow", "always")
}
