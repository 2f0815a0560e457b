// Package credcache reads and writes the AssumeRole credential cache shared
// with the AWS CLI (~/.aws/cli/cache) and reads the cache of AWS's Python
// git-remote-codecommit (~/.aws/boto/cache, via boto3).
//
// Scope: cache keys (byte-compatible with botocore's file names), the entry
// format (the STS AssumeRole response as the CLI writes it), freshness, atomic
// writes and a cross-process lock so that concurrent git processes assume a
// role only once. It performs no AWS calls itself and never imports the AWS
// SDK: the caller supplies the fetch function, the directories and the clock.
//
// Secrets (secret access keys, session tokens) never appear in errors or in
// the trace log.
package credcache

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Key holds the AssumeRole arguments that botocore uses as the cache key.
// Empty strings and a zero DurationSeconds mean "not configured" and are left
// out of the key, exactly as botocore leaves them out of its arguments.
type Key struct {
	RoleARN         string // role_arn (always present)
	RoleSessionName string // role_session_name, only if configured
	ExternalID      string // external_id
	SerialNumber    string // mfa_serial (never the token code)
	DurationSeconds int    // duration_seconds, only if configured
}

// JSON returns the key serialised like Python's
// json.dumps(args, sort_keys=True): separators ", " and ": ", non-ASCII
// escaped as \uXXXX (UTF-16 surrogate pairs beyond the BMP), "/" unescaped,
// integers bare.
func (k Key) JSON() string {
	type kv struct{ k, v string }
	var fields []kv
	add := func(name, v string) {
		if v != "" {
			fields = append(fields, kv{name, pyQuote(v)})
		}
	}
	add("RoleArn", k.RoleARN)
	add("RoleSessionName", k.RoleSessionName)
	add("ExternalId", k.ExternalID)
	add("SerialNumber", k.SerialNumber)
	if k.DurationSeconds != 0 {
		fields = append(fields, kv{"DurationSeconds", strconv.Itoa(k.DurationSeconds)})
	}
	sort.Slice(fields, func(i, j int) bool { return pyLess(fields[i].k, fields[j].k) })
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyQuote(f.k))
		b.WriteString(": ")
		b.WriteString(f.v)
	}
	b.WriteByte('}')
	return b.String()
}

// FileName returns the cache file name: lowercase hex SHA-1 of JSON() plus
// ".json", as botocore's JSONFileCache names it.
func (k Key) FileName() string {
	sum := sha1.Sum([]byte(k.JSON()))
	return hex.EncodeToString(sum[:]) + ".json"
}

// pyLess orders strings like Python compares str (by code point), which for
// valid UTF-8 is byte order.
func pyLess(a, b string) bool { return a < b }

// pyQuote quotes s like Python's json.dumps with ensure_ascii=True.
func pyQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s { // invalid UTF-8 decodes as U+FFFD
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case r >= 0x20 && r <= 0x7e:
				b.WriteRune(r)
			case r > 0xffff:
				r1, r2 := utf16.EncodeRune(r)
				writeU(&b, r1)
				writeU(&b, r2)
			default:
				writeU(&b, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func writeU(b *strings.Builder, r rune) {
	const hexdigits = "0123456789abcdef"
	b.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		b.WriteByte(hexdigits[(r>>uint(shift))&0xf])
	}
}
