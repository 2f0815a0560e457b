package logout_test

import (
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestMain lets the harness build the binaries once for this process and
// remove them at its end.
func TestMain(m *testing.M) { gittest.Main(m) }
