package credcache

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Credentials are temporary credentials from an AssumeRole call.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string // secret: never logged
	SessionToken    string // secret: never logged
	Expiration      time.Time
	AccountID       string // optional
	AssumedRoleID   string // AssumedRoleUser.AssumedRoleId, optional
	AssumedRoleARN  string // AssumedRoleUser.Arn, optional
}

// expirationLayout is the format of the golden AWS CLI entries
// ("2026-11-23T10:02:59.116729Z"): UTC, microseconds, "Z".
const expirationLayout = "2006-01-02T15:04:05.000000Z"

// entry is the on-disk shape: the STS AssumeRole response as botocore
// returns it. Field order follows the AWS CLI's files.
type entry struct {
	Credentials struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string `json:"SecretAccessKey"`
		SessionToken    string `json:"SessionToken"`
		Expiration      any    `json:"Expiration"`
		AccountID       string `json:"AccountId,omitempty"`
	} `json:"Credentials"`
	AssumedRoleUser struct {
		AssumedRoleID string `json:"AssumedRoleId"`
		ARN           string `json:"Arn"`
	} `json:"AssumedRoleUser"`
	ResponseMetadata struct {
		RequestID      string            `json:"RequestId"`
		HTTPStatusCode int               `json:"HTTPStatusCode"`
		HTTPHeaders    map[string]string `json:"HTTPHeaders"`
		RetryAttempts  int               `json:"RetryAttempts"`
	} `json:"ResponseMetadata"`
}

// readEntry parses a cache entry written by the AWS CLI, boto3 or Put. Its
// errors never quote the content.
func readEntry(data []byte) (Credentials, error) {
	var raw struct {
		Credentials *struct {
			AccessKeyID     any `json:"AccessKeyId"`
			SecretAccessKey any `json:"SecretAccessKey"`
			SessionToken    any `json:"SessionToken"`
			Expiration      any `json:"Expiration"`
			AccountID       any `json:"AccountId"`
		} `json:"Credentials"`
		AssumedRoleUser *struct {
			AssumedRoleID any `json:"AssumedRoleId"`
			ARN           any `json:"Arn"`
		} `json:"AssumedRoleUser"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return Credentials{}, fmt.Errorf("invalid JSON at offset %d", se.Offset)
		}
		return Credentials{}, errors.New("unexpected JSON structure")
	}
	c := raw.Credentials
	if c == nil {
		return Credentials{}, errors.New("no Credentials object")
	}
	var cr Credentials
	var ok bool
	for _, f := range []struct {
		name     string
		v        any
		dst      *string
		required bool
	}{
		{"AccessKeyId", c.AccessKeyID, &cr.AccessKeyID, true},
		{"SecretAccessKey", c.SecretAccessKey, &cr.SecretAccessKey, true},
		{"SessionToken", c.SessionToken, &cr.SessionToken, true},
		{"AccountId", c.AccountID, &cr.AccountID, false},
	} {
		if *f.dst, ok = f.v.(string); !ok && (f.required || f.v != nil) {
			return Credentials{}, fmt.Errorf("field Credentials.%s is missing or not a string", f.name)
		}
		if f.required && *f.dst == "" {
			return Credentials{}, fmt.Errorf("field Credentials.%s is empty", f.name)
		}
	}
	exp, err := parseExpiration(c.Expiration)
	if err != nil {
		return Credentials{}, err
	}
	cr.Expiration = exp
	if u := raw.AssumedRoleUser; u != nil {
		cr.AssumedRoleID, _ = u.AssumedRoleID.(string)
		cr.AssumedRoleARN, _ = u.ARN.(string)
	}
	return cr, nil
}

// parseExpiration accepts the Expiration forms seen in the wild: ISO-8601
// with "Z", "+00:00" or no offset, with or without fractional seconds, "T" or
// a space between date and time, an optional "UTC" suffix (boto3's
// strftime("%Z")), or a number of seconds since the epoch.
func parseExpiration(v any) (time.Time, error) {
	switch v := v.(type) {
	case string:
		t, ok := parseTimeString(v)
		if !ok {
			return time.Time{}, errors.New("field Credentials.Expiration is not a recognised timestamp")
		}
		return t, nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e11 {
			return time.Time{}, errors.New("field Credentials.Expiration is out of range")
		}
		sec, frac := math.Modf(v)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	default:
		return time.Time{}, errors.New("field Credentials.Expiration is missing or not a string")
	}
}

func parseTimeString(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	utc := false
	if rest, found := strings.CutSuffix(s, "UTC"); found {
		s, utc = strings.TrimSpace(rest), true
	}
	s = strings.Replace(s, " ", "T", 1)
	layouts := []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05"}
	if utc {
		// "...UTC" carries no other zone; a stray offset is tolerated too.
		layouts = []string{"2006-01-02T15:04:05", time.RFC3339Nano}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// marshalEntry renders cr in the AWS CLI's entry shape.
func marshalEntry(cr Credentials) ([]byte, error) {
	var e entry
	e.Credentials.AccessKeyID = cr.AccessKeyID
	e.Credentials.SecretAccessKey = cr.SecretAccessKey
	e.Credentials.SessionToken = cr.SessionToken
	e.Credentials.Expiration = cr.Expiration.UTC().Format(expirationLayout)
	e.Credentials.AccountID = cr.AccountID
	e.AssumedRoleUser.AssumedRoleID = cr.AssumedRoleID
	e.AssumedRoleUser.ARN = cr.AssumedRoleARN
	e.ResponseMetadata.HTTPStatusCode = 200
	e.ResponseMetadata.HTTPHeaders = map[string]string{}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&e); err != nil {
		return nil, errors.New("cannot encode cache entry")
	}
	return pySeparators(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// pySeparators turns compact JSON into the layout of Python's json.dumps
// defaults, which the AWS CLI writes: ", " between members and ": " after
// keys.
func pySeparators(compact []byte) []byte {
	out := make([]byte, 0, len(compact)+len(compact)/8)
	inString, escaped := false, false
	for _, c := range compact {
		out = append(out, c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			out = append(out, ' ')
		}
	}
	return out
}
