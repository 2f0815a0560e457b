package cli

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/manual"
	"github.com/gitcodecommit/git-codecommit/internal/target"
)

// TestEveryCommandHasAManual: each command of the table has its page in
// docs/man, listed in git-codecommit.md, documenting each of its flags.
func TestEveryCommandHasAManual(t *testing.T) {
	top, _ := manual.Source("git-codecommit")
	for _, c := range Commands() {
		page := manual.CommandPage(c.Name)
		src, ok := manual.Source(page)
		if !ok {
			t.Errorf("command %s has no docs/man/%s.md", c.Name, page)
			continue
		}
		if !strings.Contains(string(top), "**"+c.Name+"**") {
			t.Errorf("docs/man/git-codecommit.md does not list command %s", c.Name)
		}
		fs, _ := c.FlagSet()
		fs.VisitAll(func(f *pflag.Flag) {
			if f.Hidden || len(f.Annotations[command.PassThrough]) > 0 {
				return
			}
			if !strings.Contains(string(src), "**--"+f.Name+"**") {
				t.Errorf("docs/man/%s.md does not document --%s", page, f.Name)
			}
		})
	}
}

// TestManualsStateTheOneOrder: where a flag's help gives package target's
// precedence as its default, its manual entry gives the same order (the
// help and the pages once said AWS_PROFILE first, against the rule).
func TestManualsStateTheOneOrder(t *testing.T) {
	for _, c := range Commands() {
		page := manual.CommandPage(c.Name)
		src, _ := manual.Source(page)
		fs, _ := c.FlagSet()
		fs.VisitAll(func(f *pflag.Flag) {
			for _, order := range []string{target.ProfileOrder, target.RegionOrder} {
				if !strings.Contains(f.Usage, order) {
					continue
				}
				entry := manualEntry(string(src), f.Name)
				if !strings.Contains(strings.ReplaceAll(entry, "**", ""), "(default: "+order+")") {
					t.Errorf("docs/man/%s.md: --%s says %q, want the default %q", page, f.Name, entry, order)
				}
			}
		})
	}
}

// manualEntry is the text of flag's entry in a page: its definition lines.
func manualEntry(src, flag string) string {
	_, rest, ok := strings.Cut(src, "\n**--"+flag+"**")
	if !ok {
		return ""
	}
	var b strings.Builder
	for i, line := range strings.Split(rest, "\n") {
		if i > 0 && !strings.HasPrefix(line, ":") && !strings.HasPrefix(line, "    ") {
			break
		}
		b.WriteString(strings.TrimPrefix(line, ":"))
	}
	return strings.TrimSpace(b.String())
}
