package gitconfig

import "testing"

func TestCaselessERE(t *testing.T) {
	if got := caselessERE("true"); got != "^[tT][rR][uU][eE]$" {
		t.Errorf("caselessERE = %q", got)
	}
	if got := caselessERE("a.b"); got != `^[aA]\.[bB]$` {
		t.Errorf("caselessERE = %q", got)
	}
}
