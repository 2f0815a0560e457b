package failure

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
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
