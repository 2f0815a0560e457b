package localserver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/names"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

// apiError is an AWS API error, rendered by the protocol of the request.
type apiError struct {
	status  int
	code    string // STS/query code; JSON __type is jsonCode or code
	json    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func errSignature(msg string) *apiError {
	return &apiError{http.StatusForbidden, "SignatureDoesNotMatch", "InvalidSignatureException", msg}
}

func errInvalidToken(msg string) *apiError {
	return &apiError{http.StatusForbidden, "InvalidClientTokenId", "UnrecognizedClientException", msg}
}

func errExpired(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "ExpiredToken", "ExpiredTokenException", msg}
}

func errAccessDenied(msg string) *apiError {
	return &apiError{http.StatusForbidden, "AccessDenied", "AccessDeniedException", msg}
}

func errMissingAuth(msg string) *apiError {
	return &apiError{http.StatusForbidden, "MissingAuthenticationToken", "MissingAuthenticationTokenException", msg}
}

func errValidation(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "ValidationError", "ValidationException", msg}
}

// sigv4Header is a parsed Authorization: AWS4-HMAC-SHA256 header.
type sigv4Header struct {
	key, date, region, service string
	signedHeaders              []string
	signature                  string
}

func parseAuthHeader(h string) (*sigv4Header, error) {
	rest, ok := strings.CutPrefix(h, sigv4.Algorithm+" ")
	if !ok {
		return nil, fmt.Errorf("authorization header does not use %s", sigv4.Algorithm)
	}
	var a sigv4Header
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, fmt.Errorf("authorization header part %q is malformed", part)
		}
		switch k {
		case "Credential":
			f := strings.Split(v, "/")
			if len(f) != 5 || f[4] != "aws4_request" {
				return nil, fmt.Errorf("credential %q is malformed: want KEY/DATE/REGION/SERVICE/aws4_request", redactCredential(v))
			}
			a.key, a.date, a.region, a.service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = strings.ToLower(v)
		}
	}
	if a.key == "" || len(a.signedHeaders) == 0 || a.signature == "" {
		return nil, fmt.Errorf("authorization header lacks Credential, SignedHeaders or Signature")
	}
	return &a, nil
}

func redactCredential(v string) string {
	k, rest, _ := strings.Cut(v, "/")
	return maskKey(k) + "/" + rest
}

// authAPI verifies the SigV4 header signature of an AWS API request whose
// body has been read into body. service is the service the request
// addresses. Any well-formed region is accepted in the scope; the caller
// carries it (the region a CodeCommit call works in).
func (s *Server) authAPI(r *http.Request, body []byte, service string, info *reqInfo) (*caller, *apiError) {
	ah := r.Header.Get("Authorization")
	if ah == "" {
		if r.URL.Query().Get("X-Amz-Signature") != "" {
			return nil, errMissingAuth("presigned requests are not supported by this server")
		}
		return nil, errMissingAuth("Request is missing Authentication Token")
	}
	a, err := parseAuthHeader(ah)
	if err != nil {
		return nil, &apiError{http.StatusBadRequest, "IncompleteSignature", "IncompleteSignatureException", err.Error()}
	}
	info.key = a.key
	if a.service != service {
		return nil, errSignature(fmt.Sprintf("Credential should be scoped to correct service: '%s'.", service))
	}
	amzDate := r.Header.Get("X-Amz-Date")
	t, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil {
		return nil, &apiError{http.StatusBadRequest, "IncompleteSignature", "IncompleteSignatureException", "X-Amz-Date header is missing or malformed (want YYYYMMDDTHHMMSSZ)"}
	}
	if t.Format("20060102") != a.date {
		return nil, errSignature(fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s'", a.date, t.Format("20060102")))
	}
	c, secret, reason, expired := s.lookupAPIKey(a.key, r.Header.Get("X-Amz-Security-Token"))
	if c == nil {
		if expired {
			return nil, errExpired("The security token included in the request is expired")
		}
		return nil, errInvalidToken("The security token included in the request is invalid: " + reason)
	}
	now := s.now()
	if d := now.Sub(t); d > maxSkew {
		return c, errSignature(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)", amzDate, now.Add(-maxSkew).UTC().Format("20060102T150405Z"), now.UTC().Format("20060102T150405Z")))
	} else if d < -maxSkew {
		return c, errSignature(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 15 min.)", amzDate, now.Add(maxSkew).UTC().Format("20060102T150405Z"), now.UTC().Format("20060102T150405Z")))
	}

	bodySum := sha256.Sum256(body)
	bodyHash := hex.EncodeToString(bodySum[:])
	payload := bodyHash
	if ph := r.Header.Get("X-Amz-Content-Sha256"); ph != "" {
		if ph != "UNSIGNED-PAYLOAD" && !strings.EqualFold(ph, bodyHash) {
			return c, &apiError{http.StatusBadRequest, "XAmzContentSHA256Mismatch", "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed."}
		}
		payload = ph
	}
	signed := map[string]bool{}
	for _, h := range a.signedHeaders {
		signed[h] = true
	}
	if !signed["host"] {
		return c, errSignature("'Host' must be a signed header")
	}
	canon := canonicalRequest(r, a.signedHeaders, payload)
	sts := sigv4.Algorithm + "\n" + amzDate + "\n" + a.date + "/" + a.region + "/" + a.service + "/aws4_request\n" + hexSHA256(canon)
	want := hex.EncodeToString(hmacSum(sigv4.SigningKey(secret, t, a.region, a.service), sts))
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return c, errSignature("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	// The signing region is the region the request addresses, as on
	// CodeCommit's regional endpoints (this one endpoint serves them all).
	if l, err := names.Region(a.region); err != nil || l != a.region {
		return c, errSignature(fmt.Sprintf("Credential should be scoped to a valid region, not '%s'.", logField(a.region, 40)))
	}
	c.region = a.region
	return c, nil
}

func canonicalRequest(r *http.Request, signedHeaders []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery))
	b.WriteByte('\n')
	for _, h := range signedHeaders {
		b.WriteString(h)
		b.WriteByte(':')
		b.WriteString(headerValue(r, h))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

func headerValue(r *http.Request, name string) string {
	switch name {
	case "host":
		return r.Host
	case "content-length":
		if v := r.Header.Get("Content-Length"); v != "" {
			return v
		}
		return strconv.FormatInt(r.ContentLength, 10)
	case "transfer-encoding":
		return strings.Join(r.TransferEncoding, ",")
	}
	vals := r.Header.Values(name)
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(out, ",")
}

// canonicalURI escapes each path segment once more, as the SDKs do for
// every service but S3.
func canonicalURI(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		segs[i] = sigv4.URIEncode(seg)
	}
	return strings.Join(segs, "/")
}

func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type kv struct{ k, v string }
	var pairs []kv
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil {
			dk = k
		}
		if err2 != nil {
			dv = v
		}
		pairs = append(pairs, kv{sigv4.URIEncode(dk), sigv4.URIEncode(dv)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func hmacSum(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// lookupAPIKey is lookupKey for the AWS APIs: it also says whether the
// failure is an expired session.
func (s *Server) lookupAPIKey(key, token string) (c *caller, secret, reason string, expired bool) {
	c, secret, reason = s.lookupKey(key, token)
	if c == nil && strings.HasPrefix(reason, "session token expired") {
		expired = true
	}
	return c, secret, reason, expired
}
