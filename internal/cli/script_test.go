package cli_test

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gitcodecommit/git-codecommit/internal/cli"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"git-codecommit": func() {
			p := proc.OS()
			os.Exit(failure.Main(cli.Name, p.Stderr, false, func() error { return cli.Run(context.Background(), p) }))
		},
	})
}

// TestScripts runs the command-line scenarios in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
