package localserver_test

import (
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

func TestMain(m *testing.M) { gittest.Main(m) }
