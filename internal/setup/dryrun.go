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

	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
)

// dryRun applies the steps to a temporary copy of the scope's config
// file and prints the resulting change as a diff.
func dryRun(ctx context.Context, r gitexec.Runner, o Options) error {
	path, err := configPath(ctx, r, o)
	if err != nil {
		return err
	}
	before, err := os.ReadFile(path)
	existed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading config file: %w", err)
	}
	tmp, err := os.MkdirTemp(o.Env("TMPDIR"), "git-codecommit-setup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cp := filepath.Join(tmp, "config")
	if existed {
		if err := os.WriteFile(cp, before, 0o600); err != nil {
			return err
		}
	}
	var msgs bytes.Buffer
	c := &cfg{r: r, scope: []string{"--file", cp}, out: &msgs}
	if err := apply(ctx, c, o); err != nil {
		return err
	}
	after, err := os.ReadFile(cp)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if !c.changed || bytes.Equal(before, after) {
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
		return "", errors.New("cannot determine the system git config file (it may not exist yet); set GIT_CONFIG_SYSTEM or use --file")
	case "local":
		out, err := r.Git(ctx, "rev-parse", "--git-dir", "--absolute-git-dir", "--git-path", "config")
		if err != nil {
			return "", err
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
