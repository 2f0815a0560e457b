package hygiene_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestNoCommandImportsAnother: the import graph points down. A command's
// package (one with a command.go declaring its command.Command) is
// imported only by the dispatcher (cli) and the programs' mains, never by
// another command: what two commands share lives in a package of its own
// (location, gitconfig, filecreds, ...). Package command, the framework,
// is not a command.
func TestNoCommandImportsAnother(t *testing.T) {
	const mod = "github.com/gitcodecommit/git-codecommit/"
	out := gittest.GoList(t, "-f", "{{.ImportPath}} {{.Dir}} {{join .Imports \",\"}}", mod+"internal/...")
	type pkg struct{ path, dir, imports string }
	var pkgs []pkg
	commands := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		p := pkg{path: f[0], dir: f[1]}
		if len(f) > 2 {
			p.imports = f[2]
		}
		pkgs = append(pkgs, p)
		if ok, _ := filepath.Glob(filepath.Join(p.dir, "command.go")); len(ok) > 0 && p.path != mod+"internal/command" {
			commands[p.path] = true
		}
	}
	if len(commands) < 8 {
		t.Fatalf("found %d command packages, want the commands of git codecommit", len(commands))
	}
	for _, p := range pkgs {
		if p.path == mod+"internal/cli" {
			continue
		}
		for _, imp := range strings.Split(p.imports, ",") {
			if commands[imp] && commands[p.path] {
				t.Errorf("command package %s imports command package %s: move what they share into a package of its own", strings.TrimPrefix(p.path, mod), strings.TrimPrefix(imp, mod))
			}
		}
	}
}
