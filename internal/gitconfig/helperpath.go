package gitconfig

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// HelperProgram is the credential helper's program name.
const HelperProgram = "git-credential-" + Name

// HelperPath is the Path setup, clone --https and the remote helper write
// into the helper value: the git-credential-codecommit installed beside the
// running program (p.Installed: by the name PATH gives it when that is the
// same file, so a symlinked bin directory such as Homebrew's survives
// upgrades, else the sibling's path). It is "" when there is none, or on
// Windows, where the value keeps the name git finds on PATH (String writes
// the "codecommit" form then).
func HelperPath(p *proc.Proc) string {
	if !RunsByPath {
		return ""
	}
	return p.Installed(HelperProgram)
}

// HelperMissingError is the cause of a helper value whose Path is gone or
// not executable (the toolset moved or was uninstalled since setup wrote
// it): git fails to run the helper on every https command.
type HelperMissingError struct {
	Path string
	Err  error
}

func (e *HelperMissingError) Error() string {
	return fmt.Sprintf("credential helper %s cannot be run: %v", e.Path, e.Err)
}

func (e *HelperMissingError) Unwrap() error { return e.Err }

// Hint implements failure.Hinter: setup writes the helper's current path.
func (e *HelperMissingError) Hint() string {
	return "git codecommit setup (writes the path of the installed " + HelperProgram + ")"
}

// Runnable reports, as a *HelperMissingError, a Path that is not an
// executable file. The name form ("codecommit") is always runnable here:
// whether git finds it on PATH is another question.
func (h Helper) Runnable() error {
	if h.Path == "" {
		return nil
	}
	st, err := os.Stat(filepath.FromSlash(h.Path))
	switch {
	case err != nil:
		return &HelperMissingError{Path: h.Path, Err: err}
	case !proc.IsExecutable(st):
		return &HelperMissingError{Path: h.Path, Err: fmt.Errorf("not an executable file")}
	}
	return nil
}
