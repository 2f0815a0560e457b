package gitcred

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestReadGitInput(t *testing.T) {
	in := "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\nusername=alice\nwwwauth[]=Basic realm=\"x\"\nwwwauth[]=Basic realm=\"y\"\n\nprotocol=ignored\n"
	got, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := Request{
		Protocol:     "https",
		Host:         "git-codecommit.us-east-1.amazonaws.com",
		Path:         "v1/repos/demo",
		Username:     "alice",
		Capabilities: []string{"authtype", "state"},
		Unknown:      []string{"wwwauth[]"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestReadMissingPathCRLFAndEOF(t *testing.T) {
	got, err := Read(strings.NewReader("protocol=https\r\nhost=h.example:8443\r\npassword=p=q"))
	if err != nil {
		t.Fatal(err)
	}
	want := Request{Protocol: "https", Host: "h.example:8443", Password: "p=q"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v want %+v", got, want)
	}
	if got, err := Read(strings.NewReader("")); err != nil || !reflect.DeepEqual(got, Request{}) {
		t.Fatalf("empty input: %+v %v", got, err)
	}
}

func TestReadURL(t *testing.T) {
	got, err := Read(strings.NewReader("url=https://bob%40corp:s%3Acret@git-codecommit.eu-west-1.amazonaws.com/v1/repos/my%20repo\nhost=override.example\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Request{
		Protocol: "https",
		Host:     "override.example",
		Path:     "v1/repos/my repo",
		Username: "bob@corp",
		Password: "s:cret",
		URL:      "https://bob%40corp:s%3Acret@git-codecommit.eu-west-1.amazonaws.com/v1/repos/my%20repo",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	// url= replaces earlier fields, like git's credential_from_url.
	got, err = Read(strings.NewReader("path=old\nurl=https://h.example\n"))
	if err != nil || got.Path != "" || got.Host != "h.example" {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := Read(strings.NewReader("url=no-protocol-here\n")); err == nil {
		t.Fatal("expected error for url without protocol")
	}
}

func TestReadGarbage(t *testing.T) {
	const secret = "hunter2-secret"
	cases := map[string]string{
		"no '='":   "protocol=https\n" + secret + "\n",
		"NUL":      "password=" + secret + "\x00x\n",
		"long":     "password=" + secret + strings.Repeat("a", 1<<20) + "\n",
		"long EOF": "password=" + strings.Repeat("a", MaxLineLen+1),
		"bad url":  "url=https://%zz" + secret + "/\n",
		"url LF":   "url=https://h/%0A" + secret + "\n",
	}
	for name, in := range cases {
		_, err := Read(strings.NewReader(in))
		if err == nil {
			t.Errorf("%s: expected error", name)
			continue
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "aaaa") {
			t.Errorf("%s: error leaks value: %v", name, err)
		}
	}
	_, err := Read(strings.NewReader("protocol=https\nbogus\n"))
	if err == nil || err.Error() != "credential input line 2 has no '='" {
		t.Fatalf("got %v", err)
	}
	// Exactly MaxLineLen bytes of content is accepted, even with \r\n.
	line := "password=" + strings.Repeat("a", MaxLineLen-len("password="))
	got, err := Read(strings.NewReader(line + "\r\n"))
	if err != nil || len(got.Password) != MaxLineLen-len("password=") {
		t.Fatalf("max-length line: %v", err)
	}
}

// countingReader records how many bytes were consumed from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestReadLongLineBounded(t *testing.T) {
	cr := &countingReader{r: io.MultiReader(strings.NewReader("password="), infiniteA{})}
	if _, err := Read(cr); err == nil {
		t.Fatal("expected error")
	}
	if cr.n > 2*MaxLineLen {
		t.Fatalf("read %d bytes of an endless line; want bounded", cr.n)
	}
}

type infiniteA struct{}

func (infiniteA) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestWrite(t *testing.T) {
	var b bytes.Buffer
	err := Write(&b, Response{Username: "u", Password: "p=w", PasswordExpiry: time.Unix(1700000000, 0).In(time.FixedZone("x", 3600))})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "username=u\npassword=p=w\npassword_expiry_utc=1700000000\n"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	b.Reset()
	if err := Write(&b, Response{Quit: true}); err != nil || b.String() != "quit=1\n" {
		t.Fatalf("quit: %q %v", b.String(), err)
	}
	b.Reset()
	err = Write(&b, Response{Username: "u", Password: "bad\nsecret"})
	if err == nil || strings.Contains(err.Error(), "secret") || b.Len() != 0 {
		t.Fatalf("newline in value: %v, wrote %q", err, b.String())
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, Response{Username: "AKIA/x", Password: "Z2l0"}); err != nil {
		t.Fatal(err)
	}
	if bytes.IndexByte(b.Bytes(), '\r') >= 0 {
		t.Fatal("output contains \\r")
	}
	got, err := Read(&b)
	if err != nil || got.Username != "AKIA/x" || got.Password != "Z2l0" {
		t.Fatalf("%+v %v", got, err)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n"))
	f.Add([]byte("url=https://u:p@h:1/p?q#f\ncapability[]=authtype\n"))
	f.Add([]byte("a\r\n"))
	f.Add([]byte("x=\x00\n"))
	f.Add([]byte("url=://\n"))
	f.Add([]byte("url=a://@@/%\n"))
	f.Add([]byte("\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := Read(bytes.NewReader(data))
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		for _, s := range []string{req.Protocol, req.Host, req.Path, req.Username, req.Password, req.URL} {
			if strings.ContainsRune(s, '\n') {
				t.Fatalf("value contains newline: %q", s)
			}
		}
		// What WriteRequest passes on reads back the same.
		var b bytes.Buffer
		if err := WriteRequest(&b, req); err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") || b.Len() != 0 {
				t.Fatalf("WriteRequest: error %q, wrote %q", err, b.String())
			}
			return
		}
		again, err := Read(&b)
		if err != nil {
			t.Fatalf("WriteRequest wrote %q, which Read rejects: %v", b.String(), err)
		}
		if again.Protocol != req.Protocol || again.Host != req.Host || again.Path != req.Path || again.Username != req.Username ||
			strings.Join(again.Capabilities, "\n") != strings.Join(req.Capabilities, "\n") || again.Password != "" {
			t.Fatalf("round trip: %+v, want %+v", again, req)
		}
	})
}

func TestWriteRequest(t *testing.T) {
	var b bytes.Buffer
	req := Request{Protocol: "https", Host: "h:1", Path: "v1/repos/r", Password: "secret", Capabilities: []string{"authtype"}, Unknown: []string{"wwwauth[]"}}
	if err := WriteRequest(&b, req); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "protocol=https\nhost=h:1\npath=v1/repos/r\ncapability[]=authtype\n\n"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}
