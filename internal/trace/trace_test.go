package trace

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func fixed() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC) }

func TestOff(t *testing.T) {
	var buf bytes.Buffer
	for _, v := range []string{"", "0", "false", " off "} {
		tr := New(v, &buf, fixed, "x")
		if tr.Enabled() {
			t.Errorf("%q enabled tracing", v)
		}
		tr.Printf("hello") // nil tracer must not panic
		if tr.Writer() == nil {
			t.Error("nil writer")
		}
	}
	if buf.Len() != 0 {
		t.Errorf("off tracer wrote %q", buf.String())
	}
}

func TestStderr(t *testing.T) {
	for _, v := range []string{"1", "2", "true"} {
		var buf bytes.Buffer
		New(v, &buf, fixed, "git-remote-codecommit").Printf("region %s\nnext", "us-east-1")
		want := "03:04:05.000006 git-remote-codecommit: region us-east-1\\nnext\n"
		if buf.String() != want {
			t.Errorf("%q: got %q want %q", v, buf.String(), want)
		}
	}
}

func TestFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "trace.log")
	var stderr bytes.Buffer
	tr := New(p, &stderr, fixed, "x")
	tr.Printf("one")
	tr.Writer().Write([]byte("two\nthree\n"))
	tr.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(b), "\n"); got != 3 || stderr.Len() != 0 {
		t.Fatalf("file %q, stderr %q", b, stderr.String())
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("trace file mode %v", st.Mode().Perm())
	}
}

func TestRelativePathWarns(t *testing.T) {
	var stderr bytes.Buffer
	if New("relative/file", &stderr, fixed, "x").Enabled() {
		t.Fatal("relative path enabled tracing")
	}
	if !strings.Contains(stderr.String(), "absolute pathname") {
		t.Fatalf("no warning: %q", stderr.String())
	}
}

func TestKey(t *testing.T) {
	if got := Key("AKIAIOSFODNN7EXAMPLE"); got != "****MPLE" {
		t.Fatal(got)
	}
	if got := Key("abc"); got != "****" {
		t.Fatal(got)
	}
}

// Text from the environment, files and servers reaches a trace escaped, as it
// reaches errors: a trace to standard error is a terminal too.
func TestControlCharactersEscaped(t *testing.T) {
	var buf bytes.Buffer
	New("1", &buf, fixed, "x").Printf("profile %s", "p\x1b[2J\r")
	if want := "03:04:05.000006 x: profile p\\x1b[2J\\r\n"; buf.String() != want {
		t.Fatalf("got %q want %q", buf.String(), want)
	}
	buf.Reset()
	New("bad\x1b[2J", &buf, fixed, "x")
	if strings.Contains(buf.String(), "\x1b") {
		t.Fatalf("bad value reached stderr raw: %q", buf.String())
	}
}
