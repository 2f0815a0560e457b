package gitexec

import (
	"strconv"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// ParseBool reads a boolean as git does for configuration values and for
// variables such as GIT_TRACE_REDACT and GIT_TERMINAL_PROMPT
// (git_parse_maybe_bool): the empty string, "false", "no" and "off" (any
// case) and integers equal to 0 are false; "true", "yes", "on" and other
// integers (with an optional k, m or g unit) are true. ok is false for
// anything else, which git refuses.
func ParseBool(s string) (v, ok bool) {
	switch strings.ToLower(s) {
	case "":
		return false, true
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	n := strings.TrimLeft(s, " \t\n\v\f\r")
	if len(n) > 0 {
		switch n[len(n)-1] {
		case 'k', 'K', 'm', 'M', 'g', 'G':
			n = n[:len(n)-1]
		}
	}
	i, err := strconv.ParseInt(n, 0, 64)
	if err != nil {
		return false, false
	}
	return i != 0, true
}

// The variables with which git's HTTP transport (git remote-https) turns
// curl's trace on, and the one that keeps authorizations out of it.
const (
	EnvCurlVerbose = "GIT_CURL_VERBOSE"
	EnvTraceCurl   = "GIT_TRACE_CURL"
	EnvTraceRedact = "GIT_TRACE_REDACT"
)

// CurlTrace is what curl's trace in git remote-https would be, predicted
// from the environment by git 2.39's rules (http.c, trace.c).
type CurlTrace struct {
	// Vars are the variables that turn the trace on: GIT_CURL_VERBOSE set
	// to anything, the empty string and "0" included (git tests only that
	// it is set), and GIT_TRACE_CURL naming a destination (trace.Target).
	Vars []string
	// Unredacted: GIT_TRACE_REDACT is a false boolean, the empty string
	// included, so Authorization headers are printed in clear. Unset, true
	// or not a boolean (which git refuses), git redacts them.
	Unredacted bool
}

// CurlTraceOf reads the curl trace the environment lookup gives git.
func CurlTraceOf(lookup func(string) (string, bool)) CurlTrace {
	var c CurlTrace
	if _, ok := lookup(EnvCurlVerbose); ok {
		c.Vars = append(c.Vars, EnvCurlVerbose)
	}
	if v, ok := lookup(EnvTraceCurl); ok && trace.Target(v).On() {
		c.Vars = append(c.Vars, EnvTraceCurl)
	}
	if v, ok := lookup(EnvTraceRedact); ok {
		if b, valid := ParseBool(v); valid && !b {
			c.Unredacted = true
		}
	}
	return c
}

// On reports whether curl traces at all.
func (c CurlTrace) On() bool { return len(c.Vars) > 0 }

// Replayable says what the trace would show that someone could replay, or
// "" when nothing: with session credentials the session token, which curl
// prints as the Basic-auth user even when git redacts the Authorization
// header; without redaction any signed password. This is the one home of
// the rule both helpers apply: git-remote-codecommit drops curl's trace for
// git remote-https, git-credential-codecommit refuses to answer.
func (c CurlTrace) Replayable(session bool) string {
	switch {
	case !c.On():
		return ""
	case session:
		return "the session token"
	case c.Unredacted:
		return "the signed password (" + EnvTraceRedact + " turns redaction off)"
	}
	return ""
}

// Named is the variables as a phrase with its verb: "GIT_TRACE_CURL is",
// "GIT_CURL_VERBOSE and GIT_TRACE_CURL are".
func (c CurlTrace) Named() string {
	if len(c.Vars) == 1 {
		return c.Vars[0] + " is"
	}
	return strings.Join(c.Vars, " and ") + " are"
}
