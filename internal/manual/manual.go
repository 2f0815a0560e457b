// Package manual is the toolset's manual as a program shows it: the
// Markdown pages of docs/man, by name, as plain text for a terminal.
// Rendering to roff is package manual/roff's (used by `make man` only, so
// the Markdown library stays out of the programs).
package manual

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"

	"github.com/gitcodecommit/git-codecommit/docs/man"
)

// Source returns the Markdown of page name (e.g. "git-codecommit-clone").
func Source(name string) ([]byte, bool) {
	b, err := fs.ReadFile(man.Pages, name+".md")
	return b, err == nil
}

// Names lists the pages.
func Names() []string {
	var names []string
	entries, _ := fs.ReadDir(man.Pages, ".")
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".md"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// CommandPage is the page of `git codecommit NAME`.
func CommandPage(name string) string { return "git-codecommit-" + name }

var (
	strong = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	emph   = regexp.MustCompile(`(^|[\s(\[|=@/:,])\*([^*\s][^*]*?)\*`)
)

// inline drops Markdown's emphasis marks and escapes.
func inline(s string) string {
	s = strong.ReplaceAllString(s, "$1")
	s = emph.ReplaceAllString(s, "$1$2")
	s = strings.ReplaceAll(s, "`", "")
	return strings.ReplaceAll(s, `\*`, "*")
}

// Text returns page name as plain text, laid out as man lays it out:
// section headings at the margin, everything else indented.
func Text(name string) (string, bool) {
	src, ok := Source(name)
	if !ok {
		return "", false
	}
	lines := strings.Split(strings.TrimRight(string(src), "\n"), "\n")
	// The title block: "NAME 1 ..." underlined with "=".
	if len(lines) > 1 && strings.HasPrefix(lines[1], "===") {
		lines = lines[2:]
	}
	var out []string
	blank := func() bool { return len(out) == 0 || out[len(out)-1] == "" }
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "# "):
			if !blank() {
				out = append(out, "")
			}
			out = append(out, strings.TrimPrefix(l, "# "))
		case l == "":
			if !blank() && !strings.HasPrefix(out[len(out)-1], "#") && !isHeading(out) {
				out = append(out, "")
			}
		case strings.HasPrefix(l, ":   "):
			out = append(out, "        "+inline(strings.TrimPrefix(l, ":   ")))
		case strings.HasPrefix(l, "    "):
			out = append(out, "    "+l)
		default:
			out = append(out, "    "+inline(l))
		}
	}
	if n := len(out); n > 0 && out[n-1] == "" {
		out = out[:n-1]
	}
	var b strings.Builder
	for _, l := range out {
		b.WriteString(l + "\n")
	}
	return b.String(), true
}

// isHeading reports whether the last line of out is a section heading
// (at the margin).
func isHeading(out []string) bool {
	l := out[len(out)-1]
	return l != "" && !strings.HasPrefix(l, " ")
}
