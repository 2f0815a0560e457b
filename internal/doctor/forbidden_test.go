package doctor

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestReadDenial: the reasons CodeCommit (and the local endpoint) send
// with a git 403 read as one typed cause each.
func TestReadDenial(t *testing.T) {
	for _, tc := range []struct {
		reason string
		want   denial
		region string
	}{
		{"signature does not match: it was made for region eu-west-1, server region is us-east-1", deniedRegion, "us-east-1"},
		{"signature does not match: check the secret key and the region (server region is us-east-1)", deniedRegion, "us-east-1"},
		{"Credential should be scoped to a valid region", deniedRegion, ""},
		{"the security token included in the request is expired", deniedExpired, ""},
		{"signature time 2026-01-01T00:00:00Z is more than 15 minutes from server time 2026-01-01T01:00:00Z", deniedClockSkew, ""},
		{"repository demo belongs to account 444455556666; arn:aws:iam::111122223333:user/dev is in account 111122223333", deniedAccount, ""},
		{"arn:aws:iam::111122223333:user/dev is not authorized to perform codecommit:GitPull on repository demo", deniedOther, ""},
		{"", deniedOther, ""},
	} {
		got, region := readDenial(tc.reason)
		if got != tc.want || region != tc.region {
			t.Errorf("readDenial(%q) = %v, %q; want %v, %q", tc.reason, got, region, tc.want, tc.region)
		}
	}
}

// TestCertificateFailureIsTyped: an untrusted certificate is told from any
// other failure by the x509 and tls error types, never by the evidence
// text the checks write.
func TestCertificateFailureIsTyped(t *testing.T) {
	r, ok := certificateFailure("h:443", "the system's CA certificates", fmt.Errorf("get: %w", x509.UnknownAuthorityError{}))
	if !ok || r.status != Fail || !strings.Contains(r.evidence, "is not trusted by the system's CA certificates") || r.fix != caFix {
		t.Errorf("unknown authority: %v %+v", ok, r)
	}
	if _, ok := certificateFailure("h:443", "", errors.New("TLS: connection reset")); ok {
		t.Error("a connection reset taken for a certificate failure")
	}
	if r := tlsFailure("h:443", "", errors.New("connection reset")); !strings.HasPrefix(r.evidence, "TLS handshake with h:443 failed") {
		t.Errorf("other failure: %+v", r)
	}
}
