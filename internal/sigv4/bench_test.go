package sigv4

import (
	"strings"
	"testing"
	"time"
)

var (
	benchCreds = Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	benchReq   = Request{Region: "us-east-1", Host: "git-codecommit.us-east-1.amazonaws.com", Path: "/v1/repos/demo"}
	benchTime  = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	sink       Signed
	sinkString string
)

// BenchmarkSign is the signature the helpers make per git command.
func BenchmarkSign(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = Sign(benchCreds, benchReq, benchTime)
	}
	if len(sink.Password) != 16+64 {
		b.Fatalf("password %q", sink.Password)
	}
}

// BenchmarkSignSessionToken signs with temporary credentials: the username
// carries the (long) session token.
func BenchmarkSignSessionToken(b *testing.B) {
	c := benchCreds
	c.SessionToken = strings.Repeat("IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+", 12)
	b.ReportAllocs()
	for b.Loop() {
		sink = Sign(c, benchReq, benchTime)
	}
	if !strings.HasSuffix(sink.Username, c.SessionToken) {
		b.Fatal("username lacks the session token")
	}
}

// BenchmarkQuoteUsername quotes a username with a session token for a URL.
func BenchmarkQuoteUsername(b *testing.B) {
	u := Username(benchCreds.AccessKeyID, strings.Repeat("IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+", 12))
	b.ReportAllocs()
	for b.Loop() {
		sinkString = QuoteUsername(u)
	}
	if strings.ContainsAny(sinkString, "/+=") {
		b.Fatalf("unquoted: %s", sinkString)
	}
}
