package sigv4

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

type vector struct {
	ID               string  `json:"id"`
	AccessKey        string  `json:"access_key"`
	SecretKey        string  `json:"secret_key"`
	SessionToken     *string `json:"session_token"`
	Region           string  `json:"region"`
	Host             string  `json:"host"`
	Path             string  `json:"path"`
	Timestamp        string  `json:"timestamp"`
	CanonicalRequest string  `json:"canonical_request"`
	StringToSign     string  `json:"string_to_sign"`
	UsernameRaw      string  `json:"username_raw"`
	UsernameQuoted   string  `json:"username_urlquoted"`
	Password         string  `json:"password"`
}

// vectorsPath finds ../shared/vectors-public.json from the repository root,
// falling back to the copy committed under testdata.
func loadVectors(t *testing.T) []vector {
	t.Helper()
	paths := []string{filepath.Join("..", "..", "..", "shared", "vectors-public.json"), filepath.Join("testdata", "vectors-public.json")}
	var data []byte
	var err error
	for _, p := range paths {
		if data, err = os.ReadFile(p); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("no vectors file: %v", err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("vectors file holds no cases")
	}
	return vs
}

func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.ID, func(t *testing.T) {
			ts, err := time.Parse("20060102T150405", v.Timestamp)
			if err != nil {
				t.Fatal(err)
			}
			tok := ""
			if v.SessionToken != nil {
				tok = *v.SessionToken
			}
			if got := CanonicalRequest(v.Path, v.Host); got != v.CanonicalRequest {
				t.Errorf("canonical request\n got %q\nwant %q", got, v.CanonicalRequest)
			}
			if got := StringToSign(ts, v.Region, v.CanonicalRequest); got != v.StringToSign {
				t.Errorf("string to sign\n got %q\nwant %q", got, v.StringToSign)
			}
			s := Sign(Credentials{v.AccessKey, v.SecretKey, tok}, Request{Region: v.Region, Host: v.Host, Path: v.Path}, ts)
			if s.Username != v.UsernameRaw {
				t.Errorf("username %q, want %q", s.Username, v.UsernameRaw)
			}
			if got := QuoteUsername(s.Username); got != v.UsernameQuoted {
				t.Errorf("quoted username\n got %q\nwant %q", got, v.UsernameQuoted)
			}
			if s.Password != v.Password {
				t.Errorf("password %q, want %q", s.Password, v.Password)
			}
			pt, sig, err := ParsePassword(s.Password)
			if err != nil || !pt.Equal(ts) || s.Password[len(s.Password)-64:] != sig {
				t.Errorf("ParsePassword(%q) = %v, %q, %v", s.Password, pt, sig, err)
			}
			id, gotTok := SplitUsername(s.Username)
			if id != v.AccessKey || gotTok != tok {
				t.Errorf("SplitUsername round trip: %q %q", id, gotTok)
			}
		})
	}
}

func TestParsePasswordRejects(t *testing.T) {
	for _, pw := range []string{"", "x", "20150830T123600Z", "20150830T123600X" + string(make([]byte, 64)),
		"2015083OT123600Zddec37e0b90e46a200cf0845cb2f370f8a75fede98a5ac00dc5104677d242efc",
		"20150830T123600Zzzec37e0b90e46a200cf0845cb2f370f8a75fede98a5ac00dc5104677d242efc"} {
		if _, _, err := ParsePassword(pw); err == nil {
			t.Errorf("ParsePassword(%q) accepted", pw)
		}
	}
}

func TestSignTruncatesAndUsesUTC(t *testing.T) {
	loc := time.FixedZone("x", 5*3600)
	a := Sign(Credentials{"AKID", "secret", ""}, Request{"us-east-1", "h", "/v1/repos/r"}, time.Date(2020, 1, 2, 8, 4, 5, 999, loc))
	b := Sign(Credentials{"AKID", "secret", ""}, Request{"us-east-1", "h", "/v1/repos/r"}, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC))
	if a != b {
		t.Fatalf("same instant signed differently: %+v %+v", a, b)
	}
	if a.Password[:16] != "20200102T030405Z" {
		t.Fatalf("password timestamp %q", a.Password[:16])
	}
}
