package failure

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

type hintErr struct{}

func (hintErr) Error() string { return "profile \"x\" not found" }
func (hintErr) Hint() string  { return "run aws configure --profile x" }

func TestReport(t *testing.T) {
	tests := []struct {
		err  error
		want string
		code int
	}{
		{fmt.Errorf("resolving: %w", hintErr{}), "p: resolving: profile \"x\" not found; run aws configure --profile x\n", 1},
		{UsageError("run p --help", "unknown flag %q", "-z"), "p: unknown flag \"-z\"; run p --help\n", 2},
		{WithHint(errors.New("two\nlines"), "fix it"), "p: two lines; fix it\n", 1},
		{fmt.Errorf("git: %w", ExitStatus(128)), "", 128},
		{fmt.Errorf("x: %w", context.Canceled), "p: x: context canceled\n", 130},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if code := Report(&buf, "p", tt.err); code != tt.code || buf.String() != tt.want {
			t.Errorf("Report(%v) = %d %q, want %d %q", tt.err, code, buf.String(), tt.code, tt.want)
		}
	}
	if WithHint(nil, "x") != nil {
		t.Error("WithHint(nil) not nil")
	}
}

func TestMainRecoversPanic(t *testing.T) {
	var buf bytes.Buffer
	code := Main("p", &buf, false, func() error { panic("boom") })
	if code != Internal || !bytes.Contains(buf.Bytes(), []byte("p: internal error: boom")) {
		t.Fatalf("code %d output %q", code, buf.String())
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain profile-1", "plain profile-1"},
		{"x\x1b[2J", `x\x1b[2J`},
		{"a\nb\tc\rd", `a\nb\tc\rd`},
		{"bell\a del\x7f", `bell\x07 del\x7f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bidi \u202eevil", `bidi \u202eevil`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"é ü 日本", "é ü 日本"},
		{`back\slash`, `back\slash`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A hostile name reaching an error (from AWS_PROFILE, a file, a server) is
// shown escaped, whatever the error's wording, hint included.
func TestReportEscapesControlCharacters(t *testing.T) {
	hostile := "x\x1b[2J\x1b]0;pwned\a"
	err := WithHint(fmt.Errorf("profile %s not found", hostile), "run aws configure --profile "+hostile)
	var buf bytes.Buffer
	Report(&buf, "p", err)
	out := buf.String()
	if bytes.ContainsAny([]byte(strings.TrimSuffix(out, "\n")), "\x1b\a\n\r") {
		t.Fatalf("control characters reached the terminal: %q", out)
	}
	if !strings.Contains(out, `x\x1b[2J\x1b]0;pwned\x07`) {
		t.Fatalf("hostile name not shown escaped: %q", out)
	}
	buf.Reset()
	Main("p", &buf, false, func() error { panic("boom\x1b[2J") })
	if strings.Contains(buf.String(), "\x1b") {
		t.Fatalf("panic value reached the terminal raw: %q", buf.String())
	}
}

// TestClip: a cut never splits a UTF-8 character (the copies this replaced
// in credhelper and cloneurl could), and is marked.
func TestClip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"abcdef", 3, "abc…"},
		{"aéé", 2, "a…"}, // 'é' is two bytes: byte 2 is inside the first
		{"aéé", 3, "aé…"},
		{"", 0, ""},
	} {
		got := Clip(tc.in, tc.max)
		if got != tc.want || !utf8.ValidString(got) {
			t.Errorf("Clip(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	if got := OneLine("  fatal: a\r\n\tb  \n\nc "); got != "fatal: a b c" {
		t.Errorf("OneLine = %q", got)
	}
}
