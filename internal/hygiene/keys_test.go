package hygiene_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestAccessKeysShownByLastFour: error messages of failed git operations
// and `git codecommit doctor` reports (text and JSON, healthy and failing)
// name access keys as ****LAST4 only, and never show a secret.
func TestAccessKeysShownByLastFour(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	e := gittest.New(t)
	seedRepo(t, e, 1)
	u := e.Server.Users()[0]
	secrets := secretSet{}
	secrets.add("dev secret key", u.SecretAccessKey)
	key, last4 := u.AccessKeyID, "****"+u.AccessKeyID[len(u.AccessKeyID)-4:]

	var outputs []string
	for _, args := range [][]string{
		{"codecommit", "doctor", "codecommit://dev@demo"},
		{"codecommit", "doctor", "--json", "codecommit://role@demo"},
	} {
		r := e.Git(args...)
		outputs = append(outputs, r.Stdout+r.Stderr)
	}
	if !strings.Contains(outputs[0], last4) {
		t.Errorf("doctor does not name the key as %s:\n%s", last4, outputs[0])
	}
	e.Faults.DenyPull(key, "demo")
	outputs = append(outputs, e.Git("ls-remote", "codecommit://dev@demo").MustFail())
	r := e.Git("codecommit", "doctor", "codecommit://dev@demo")
	outputs = append(outputs, r.Stdout+r.Stderr)
	e.Faults.Reset()
	e.Faults.SetClockSkew(-time.Hour) // signatures are refused
	outputs = append(outputs, e.Git("ls-remote", "codecommit://dev@demo").MustFail())
	r = e.Git("codecommit", "doctor", "codecommit://dev@demo")
	outputs = append(outputs, r.Stdout+r.Stderr)

	for i, out := range outputs {
		if strings.Contains(out, key) {
			t.Errorf("output %d shows the whole access key:\n%s", i, out)
		}
		for _, s := range secrets.find(out) {
			t.Errorf("output %d contains %s:\n%s", i, s, out)
		}
	}
}
