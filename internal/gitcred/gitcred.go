// Package gitcred encodes and decodes git's credential helper protocol
// (see git-credential(1)): the "key=value" lines git writes to a helper's
// stdin and the lines a helper writes back.
//
// Scope: this package is a pure codec. It performs no I/O other than on
// the reader and writer it is given, never touches the environment, and
// never puts attribute values into error messages, because values may be
// secrets; errors name the line number or the key only.
package gitcred

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxLineLen is the longest input line (excluding the line terminator)
// that Read accepts. Longer lines are rejected without being buffered in
// full.
const MaxLineLen = 64 * 1024

// Request is the credential description git sends to a helper.
type Request struct {
	Protocol, Host, Path, Username, Password string

	// URL is the raw value of a url= attribute, if one was given. When
	// present it is also split into Protocol, Host, Path, Username (and
	// Password, if the URL embeds one), replacing whatever those fields
	// held, as git itself does; attributes after url= override it again.
	URL string

	// Capabilities lists the values of capability[] lines, in order.
	Capabilities []string

	// Unknown lists, once each and in order of first appearance, the keys
	// that were present but are not modelled by Request (for example
	// wwwauth[] or password_expiry_utc). Their values are not kept.
	Unknown []string
}

// Read parses a credential description from r. It stops at the first
// blank line or at EOF. Lines may end in "\n" or "\r\n". Unknown
// attributes are ignored (their keys are recorded in Request.Unknown).
//
// Read returns an error for a line without '=', a line containing a NUL
// byte, or a line longer than MaxLineLen. Memory use is bounded by
// MaxLineLen regardless of the input.
func Read(r io.Reader) (Request, error) {
	var req Request
	br := bufio.NewReaderSize(r, MaxLineLen+2) // room for "\r\n"
	seen := map[string]bool{}
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return Request{}, fmt.Errorf("credential input line %d is longer than %d bytes", n, MaxLineLen)
		}
		if err != nil && err != io.EOF {
			return Request{}, fmt.Errorf("reading credential input line %d: %w", n, err)
		}
		atEOF := err == io.EOF
		if atEOF && len(line) == 0 {
			return req, nil
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > MaxLineLen {
			return Request{}, fmt.Errorf("credential input line %d is longer than %d bytes", n, MaxLineLen)
		}
		if len(line) == 0 {
			return req, nil // blank line terminates the description
		}
		if bytes.IndexByte(line, 0) >= 0 {
			return Request{}, fmt.Errorf("credential input line %d contains a NUL byte", n)
		}
		k, v, ok := bytes.Cut(line, []byte("="))
		if !ok {
			return Request{}, fmt.Errorf("credential input line %d has no '='", n)
		}
		key, val := string(k), string(v)
		switch key {
		case "protocol":
			req.Protocol = val
		case "host":
			req.Host = val
		case "path":
			req.Path = val
		case "username":
			req.Username = val
		case "password":
			req.Password = val
		case "url":
			if err := req.setURL(val); err != nil {
				return Request{}, fmt.Errorf("credential input line %d: %w", n, err)
			}
		case "capability[]":
			req.Capabilities = append(req.Capabilities, val)
		default:
			if !seen[key] {
				seen[key] = true
				req.Unknown = append(req.Unknown, key)
			}
		}
		if atEOF {
			return req, nil
		}
	}
}

// setURL splits a url= value the way git's credential_from_url does:
// "proto://[user[:pass]@]host[/path]". Components are percent-decoded.
func (req *Request) setURL(raw string) error {
	proto, rest, ok := strings.Cut(raw, "://")
	if !ok || proto == "" {
		return errors.New("url attribute has no protocol")
	}
	hostPart, path := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		hostPart, path = rest[:i], rest[i:]
	}
	user, pass := "", ""
	if at := strings.LastIndexByte(hostPart, '@'); at >= 0 {
		userinfo := hostPart[:at]
		hostPart = hostPart[at+1:]
		u, p, hasPass := strings.Cut(userinfo, ":")
		var err error
		if user, err = url.PathUnescape(u); err != nil {
			return errors.New("url attribute has a malformed username")
		}
		if hasPass {
			if pass, err = url.PathUnescape(p); err != nil {
				return errors.New("url attribute has a malformed password")
			}
		}
	}
	host, err := url.PathUnescape(hostPart)
	if err != nil {
		return errors.New("url attribute has a malformed host")
	}
	path = strings.TrimPrefix(path, "/")
	if path, err = url.PathUnescape(path); err != nil {
		return errors.New("url attribute has a malformed path")
	}
	// Like git (CVE-2020-5260), refuse components that decode to
	// characters which cannot be represented in the protocol.
	for _, c := range [...]struct{ name, val string }{{"username", user}, {"password", pass}, {"host", host}, {"path", path}} {
		if strings.ContainsAny(c.val, "\x00\r\n") {
			return fmt.Errorf("url attribute %s contains an encoded NUL, CR or LF", c.name)
		}
	}
	*req = Request{
		Protocol:     proto,
		Host:         host,
		Path:         path,
		Username:     user,
		Password:     pass,
		URL:          raw,
		Capabilities: req.Capabilities,
		Unknown:      req.Unknown,
	}
	return nil
}

// Response is what a helper answers to a "get" request.
type Response struct {
	Username, Password string
	// PasswordExpiry, if non-zero, is sent as password_expiry_utc (Unix
	// seconds) so git (≥2.41) does not keep using an expired password.
	PasswordExpiry time.Time
	// Quit asks git not to consult any further helpers (quit=1).
	Quit bool
}

// Write encodes resp in git's credential format: username=, password=,
// password_expiry_utc= (each only if set) and quit=1 (if Quit), each
// terminated by a bare "\n" on every platform. Values containing a NUL,
// CR or LF are rejected, since they would corrupt the protocol.
func Write(w io.Writer, resp Response) error {
	var e encoder
	e.add("username", resp.Username)
	e.add("password", resp.Password)
	if !resp.PasswordExpiry.IsZero() {
		e.add("password_expiry_utc", strconv.FormatInt(resp.PasswordExpiry.Unix(), 10))
	}
	if resp.Quit {
		e.add("quit", "1")
	}
	return e.writeTo(w)
}

// WriteRequest encodes the attributes of req a helper acts on (protocol,
// host, path and username, each only if set, and every capability[] line),
// then the blank line that ends a request: git's request as Read understood
// it, for another helper. The password and unknown attributes are left out.
func WriteRequest(w io.Writer, req Request) error {
	var e encoder
	e.add("protocol", req.Protocol)
	e.add("host", req.Host)
	e.add("path", req.Path)
	e.add("username", req.Username)
	for _, c := range req.Capabilities {
		e.line("capability[]", c) // passed on as git sent it, even empty
	}
	e.b.WriteByte('\n')
	return e.writeTo(w)
}

// encoder collects key=value lines, skipping empty values and remembering
// the first value that would corrupt the protocol.
type encoder struct {
	b   strings.Builder
	err error
}

func (e *encoder) add(key, val string) {
	if val != "" {
		e.line(key, val)
	}
}

// line writes key=val, val empty or not.
func (e *encoder) line(key, val string) {
	switch {
	case e.err != nil:
	case strings.ContainsAny(val, "\x00\r\n"):
		e.err = fmt.Errorf("credential %s contains a NUL, CR or LF character", key)
	default:
		e.b.WriteString(key)
		e.b.WriteByte('=')
		e.b.WriteString(val)
		e.b.WriteByte('\n')
	}
}

func (e *encoder) writeTo(w io.Writer) error {
	if e.err != nil {
		return e.err
	}
	_, err := io.WriteString(w, e.b.String())
	return err
}
