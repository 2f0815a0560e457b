// Package sigv4 implements CodeCommit's "GIT" signing rule: the SigV4 variant
// that turns AWS credentials into the HTTPS Basic-auth username and password
// CodeCommit accepts for git over HTTPS. It is pure: no I/O, no clock, no
// environment. The clock and the credentials are the caller's.
//
// The rule, for service codecommit:
//
//	canonical request  GIT\n/v1/repos/NAME\n\nhost:HOST\n\nhost\n
//	string to sign     AWS4-HMAC-SHA256\nYYYYMMDDTHHMMSS\nDATE/REGION/codecommit/aws4_request\nhex(sha256(canonical))
//	username           ACCESS_KEY_ID, or ACCESS_KEY_ID%SESSION_TOKEN
//	password           YYYYMMDDTHHMMSS + "Z" + hex(hmac(signing key, string to sign))
//
// The timestamp in the string to sign has no trailing Z; the password has one.
package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Service is the SigV4 service name CodeCommit signs git requests under.
const Service = "codecommit"

// Algorithm is the SigV4 algorithm name.
const Algorithm = "AWS4-HMAC-SHA256"

// Lifetime is how long CodeCommit accepts a GIT signature.
const Lifetime = 15 * time.Minute

// timeFormat is the timestamp layout of the string to sign (no trailing Z).
const timeFormat = "20060102T150405"

// Credentials are the AWS credentials a signature is made with.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// Request names what is signed: the repository path and host exactly as git
// will send them, and the region the signature is scoped to.
type Request struct {
	Region string // e.g. us-east-1
	Host   string // host[:port], as git sends it in the Host header
	Path   string // /v1/repos/NAME
}

// Signed is the result of signing: the Basic-auth pair for git.
type Signed struct {
	Username string    // raw: ACCESS_KEY_ID[%SESSION_TOKEN]
	Password string    // TIMESTAMPZ + hex signature
	Time     time.Time // the signing time, UTC, truncated to the second
}

// CanonicalRequest returns the canonical request of the GIT rule.
func CanonicalRequest(path, host string) string {
	return "GIT\n" + path + "\n\nhost:" + host + "\n\nhost\n"
}

// Scope returns the credential scope DATE/REGION/codecommit/aws4_request.
func Scope(t time.Time, region string) string {
	return t.UTC().Format("20060102") + "/" + region + "/" + Service + "/aws4_request"
}

// StringToSign returns the string to sign for a canonical request made at t.
func StringToSign(t time.Time, region, canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return Algorithm + "\n" + t.UTC().Format(timeFormat) + "\n" + Scope(t, region) + "\n" + hex.EncodeToString(sum[:])
}

// SigningKey derives the SigV4 signing key for secret, date, region and service.
func SigningKey(secret string, t time.Time, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), t.UTC().Format("20060102"))
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

// Signature returns the hex signature of stringToSign under the codecommit
// signing key for secret, t and region.
func Signature(secret string, t time.Time, region, stringToSign string) string {
	return hex.EncodeToString(hmacSHA256(SigningKey(secret, t, region, Service), stringToSign))
}

// Sign applies the GIT rule to r at time t.
func Sign(c Credentials, r Request, t time.Time) Signed {
	t = t.UTC().Truncate(time.Second)
	sts := StringToSign(t, r.Region, CanonicalRequest(r.Path, r.Host))
	return Signed{
		Username: Username(c.AccessKeyID, c.SessionToken),
		Password: t.Format(timeFormat) + "Z" + Signature(c.SecretAccessKey, t, r.Region, sts),
		Time:     t,
	}
}

// Username joins an access key id and an optional session token the way
// CodeCommit expects: KEY or KEY%TOKEN.
func Username(accessKeyID, sessionToken string) string {
	if sessionToken == "" {
		return accessKeyID
	}
	return accessKeyID + "%" + sessionToken
}

// SplitUsername is the inverse of Username.
func SplitUsername(username string) (accessKeyID, sessionToken string) {
	id, tok, _ := strings.Cut(username, "%")
	return id, tok
}

// ParsePassword splits a GIT-rule password into its signing time and hex
// signature.
func ParsePassword(password string) (time.Time, string, error) {
	const n = len(timeFormat) + 1 // timestamp plus the Z
	if len(password) != n+64 || password[n-1] != 'Z' {
		return time.Time{}, "", fmt.Errorf("password is not a CodeCommit signature (want YYYYMMDDTHHMMSSZ and 64 hex digits)")
	}
	t, err := time.Parse(timeFormat, password[:n-1])
	if err != nil {
		return time.Time{}, "", fmt.Errorf("password timestamp %q is malformed", password[:n-1])
	}
	sig := password[n:]
	if _, err := hex.DecodeString(sig); err != nil {
		return time.Time{}, "", fmt.Errorf("password signature is not hex")
	}
	return t.UTC(), strings.ToLower(sig), nil
}

// QuoteUsername percent-encodes a username for the userinfo part of a URL
// with no safe characters: every byte outside A-Z a-z 0-9 - . _ ~ is encoded,
// '%', '/', '+' and '=' included (Python's urllib.parse.quote(s, safe="")).
func QuoteUsername(s string) string { return URIEncode(s) }

// URIEncode is SigV4's URI encoding: every byte outside the unreserved
// characters A-Z a-z 0-9 - . _ ~ becomes %XX with upper-case hex.
func URIEncode(s string) string {
	const hexdigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 3 / 2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdigits[c>>4])
		b.WriteByte(hexdigits[c&15])
	}
	return b.String()
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// SignRepo signs repository repo on host (host[:port] as git sends it) at
// now and returns the signature with the time git should stop using it:
// Lifetime after signing, or expires if the credentials expire first (zero
// expires: they never do).
func SignRepo(c Credentials, expires time.Time, region, host, repo string, now time.Time) (Signed, time.Time) {
	s := Sign(c, Request{Region: region, Host: host, Path: "/v1/repos/" + repo}, now)
	expiry := s.Time.Add(Lifetime)
	if !expires.IsZero() && expires.Before(expiry) {
		expiry = expires
	}
	return s, expiry
}
