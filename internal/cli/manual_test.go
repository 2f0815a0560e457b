package cli

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/manual"
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
