package localserver

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TOTP returns the RFC 6238 code (HMAC-SHA1, 30 s step, 6 digits) of the
// base32 secret at t. Spaces and padding in the secret are ignored, case too.
func TOTP(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	return totpAt(key, t.Unix()/30), nil
}

func decodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(secret))
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil || len(key) == 0 {
		return nil, errors.New("totp secret is not base32")
	}
	return key, nil
}

func totpAt(key []byte, counter int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	h := hmac.New(sha1.New, key)
	h.Write(msg[:])
	sum := h.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1000000)
}

// checkMFACode reports whether code is acceptable at now.
func (s *Server) checkMFACode(code string, now time.Time) bool {
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return false
	}
	if s.cfg.MFACode == "" && s.cfg.TOTPSecret == "" {
		return true
	}
	if s.cfg.MFACode != "" && hmac.Equal([]byte(code), []byte(s.cfg.MFACode)) {
		return true
	}
	if s.cfg.TOTPSecret != "" {
		key, err := decodeTOTPSecret(s.cfg.TOTPSecret)
		if err != nil {
			return false
		}
		c := now.Unix() / 30
		for d := int64(-1); d <= 1; d++ {
			if hmac.Equal([]byte(code), []byte(totpAt(key, c+d))) {
				return true
			}
		}
	}
	return false
}
