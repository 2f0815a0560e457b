package setup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
)

// edited is a config file before and after the steps, applied to a copy.
type edited struct {
	before, after []byte
	perm          fs.FileMode
	changed       bool
}

// editCopy applies the steps for o to a private copy of the config file at
// path (in a temporary directory, removed on return) and returns both
// contents. Messages about each change go to out.
func editCopy(ctx context.Context, r gitexec.Runner, o Options, path string, out io.Writer) (edited, error) {
	ed := edited{perm: 0o644}
	before, err := os.ReadFile(path)
	existed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return ed, fmt.Errorf("reading config file: %w", err)
	}
	if fi, err := os.Stat(path); err == nil {
		ed.perm = fi.Mode().Perm()
	}
	ed.before = before
	tmp, err := os.MkdirTemp(o.Env("TMPDIR"), "git-codecommit-setup-")
	if err != nil {
		return ed, err
	}
	defer os.RemoveAll(tmp)
	cp := filepath.Join(tmp, "config")
	if existed {
		if err := os.WriteFile(cp, before, 0o600); err != nil {
			return ed, err
		}
	}
	c := &gitconfig.Editor{Runner: r, Scope: []string{"--file", cp}, Out: out}
	if err := apply(ctx, c, o); err != nil {
		return ed, err
	}
	after, err := os.ReadFile(cp)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return ed, err
	}
	ed.after, ed.changed = after, c.Changed
	return ed, nil
}

// dryRun applies the steps to a temporary copy of the scope's config
// file and prints the resulting change as a diff.
func dryRun(ctx context.Context, r gitexec.Runner, o Options, path string) error {
	var msgs bytes.Buffer
	ed, err := editCopy(ctx, r, o, path, &msgs)
	if err != nil {
		return err
	}
	before, after := ed.before, ed.after
	if !ed.changed || bytes.Equal(before, after) {
		if o.Undo {
			fmt.Fprintf(o.Out, "nothing to undo (%s)\n", path)
		} else {
			fmt.Fprintf(o.Out, "already configured (%s)\n", path)
		}
		return nil
	}
	for _, line := range strings.SplitAfter(msgs.String(), "\n") {
		if line != "" {
			fmt.Fprintf(o.Out, "would %s", line)
		}
	}
	fmt.Fprintf(o.Out, "--- %s\n+++ %s (after %s)\n", path, path, map[bool]string{false: "setup", true: "undo"}[o.Undo])
	writeDiff(o.Out, splitLines(string(before)), splitLines(string(after)))
	return nil
}

// lockRetries bounds how often commit tries git's PATH.lock while another
// git holds it (each try waits lockWait): git itself does not wait at all.
const (
	lockRetries = 20
	lockWait    = 50 * time.Millisecond
)

// errChanged: the config file changed between the edit and the commit.
var errChanged = errors.New("the config file changed while setup edited it")

// commit replaces the config file at path with data the way git does it:
// the new content is written to PATH.lock, created exclusively (so a
// concurrent "git config" waits for us or we for it), synced, and renamed
// over PATH. Holding the lock, it first checks that PATH still holds before
// (what data was made from); if another git wrote it meanwhile it changes
// nothing and returns errChanged, so that change is never lost.
func commit(ctx context.Context, path string, before, data []byte, perm fs.FileMode) error {
	lock := path + ".lock"
	var f *os.File
	for i := 0; ; i++ {
		var err error
		f, err = os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || i == lockRetries {
			return failure.WithHint(fmt.Errorf("could not lock config file %s: %w", path, err),
				"another git process seems to be running; if none is, remove "+lock+" and run setup again")
		}
		t := time.NewTimer(lockWait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	cur, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		cur, err = nil, nil
	}
	if err == nil && !bytes.Equal(cur, before) {
		f.Close()
		os.Remove(lock)
		return errChanged
	}
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(lock, perm)
	}
	if err == nil {
		err = os.Rename(lock, path)
	}
	if err != nil {
		os.Remove(lock)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// configPath returns the file git config writes for o's scope.
func configPath(ctx context.Context, r gitexec.Runner, o Options) (string, error) {
	switch o.Scope {
	case "file":
		return o.File, nil
	case "global":
		if p := o.Env("GIT_CONFIG_GLOBAL"); p != "" {
			return p, nil
		}
		home := o.Env("HOME")
		if home == "" {
			return "", errors.New("HOME is not set; cannot locate the global git config")
		}
		dot := filepath.Join(home, ".gitconfig")
		xdg := o.Env("XDG_CONFIG_HOME")
		if xdg == "" {
			xdg = filepath.Join(home, ".config")
		}
		xdg = filepath.Join(xdg, "git", "config")
		if _, err := os.Stat(dot); errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Stat(xdg); err == nil {
				return xdg, nil
			}
		}
		return dot, nil
	case "system":
		if p := o.Env("GIT_CONFIG_SYSTEM"); p != "" {
			return p, nil
		}
		out, err := r.Git(ctx, "config", "--system", "--show-origin", "--list")
		if err == nil {
			first, _, _ := strings.Cut(out, "\n")
			if origin, _, ok := strings.Cut(first, "\t"); ok && strings.HasPrefix(origin, "file:") {
				return strings.TrimPrefix(origin, "file:"), nil
			}
		}
		// A system file that does not exist yet: git names it to an
		// editor, and "echo" as the editor prints it.
		if out, err := r.Git(ctx, "-c", "core.editor=echo", "config", "--system", "--edit"); err == nil {
			if p := strings.TrimSpace(out); filepath.IsAbs(p) && !strings.Contains(p, "\n") {
				return p, nil
			}
		}
		return "", errors.New("cannot determine the system git config file (it may not exist yet); set GIT_CONFIG_SYSTEM or use --file")
	case "local":
		out, err := r.Git(ctx, "rev-parse", "--git-dir", "--absolute-git-dir", "--git-path", "config")
		if err != nil {
			why := "not inside a git repository"
			var ge *gitexec.Error
			if errors.As(err, &ge) && ge.Stderr != "" {
				why += " (" + strings.TrimPrefix(ge.Stderr, "fatal: ") + ")"
			}
			return "", failure.WithHint(errors.New("setup --local: "+why), "run it inside the repository, or use --global")
		}
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if len(lines) != 3 {
			return "", errors.New("unexpected output from git rev-parse")
		}
		gitDir, absGitDir, cfgPath := lines[0], lines[1], lines[2]
		if filepath.IsAbs(cfgPath) {
			return cfgPath, nil
		}
		// cfgPath is relative to git's working directory, which is
		// absGitDir with the relative gitDir's components removed.
		if filepath.IsAbs(gitDir) {
			// In a subdirectory of a work tree: cwd is toplevel/prefix.
			out, err := r.Git(ctx, "rev-parse", "--show-toplevel", "--show-prefix")
			if err != nil {
				return "", fmt.Errorf("cannot determine the local config file path (use --file): %w", err)
			}
			top, prefix, _ := strings.Cut(strings.TrimRight(out, "\n"), "\n")
			if !filepath.IsAbs(top) {
				return "", errors.New("cannot determine the local config file path; use --file")
			}
			return filepath.Join(top, filepath.FromSlash(prefix), cfgPath), nil
		}
		cwd := absGitDir
		for _, part := range strings.Split(filepath.ToSlash(filepath.Clean(gitDir)), "/") {
			switch part {
			case ".":
			case "..":
				return "", errors.New("cannot determine the local config file path; use --file")
			default:
				cwd = filepath.Dir(cwd)
			}
		}
		return filepath.Join(cwd, cfgPath), nil
	}
	return "", fmt.Errorf("unknown scope %q", o.Scope)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// writeDiff prints a line diff of a and b (longest common subsequence)
// with up to two lines of context around each change.
func writeDiff(w io.Writer, a, b []string) {
	const ctxLines = 2
	n, m := len(a), len(b)
	if n*m > 4_000_000 { // pathological file size: skip the quadratic diff
		for _, l := range a {
			fmt.Fprintf(w, "-%s\n", l)
		}
		for _, l := range b {
			fmt.Fprintf(w, "+%s\n", l)
		}
		return
	}
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		kind byte
		text string
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, op{' ', a[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, op{'+', b[j]})
			j++
		default:
			ops = append(ops, op{'-', a[i]})
			i++
		}
	}
	near := func(k int) bool {
		for d := max(0, k-ctxLines); d <= min(len(ops)-1, k+ctxLines); d++ {
			if ops[d].kind != ' ' {
				return true
			}
		}
		return false
	}
	skipped := false
	for k, o := range ops {
		if o.kind == ' ' && !near(k) {
			skipped = true
			continue
		}
		if skipped {
			fmt.Fprintln(w, "@@")
			skipped = false
		}
		fmt.Fprintf(w, "%c%s\n", o.kind, o.text)
	}
}
