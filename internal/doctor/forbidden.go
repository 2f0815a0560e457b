package doctor

import (
	"regexp"
	"strings"
)

// denial is why CodeCommit's git endpoint refused a signed request with
// 403, as a value: the one reading of the reason it sends.
type denial int

// The causes of a 403 that CodeCommit names.
const (
	deniedOther     denial = iota // permissions (an IAM policy, SCP, boundary, VPC endpoint policy) or unnamed
	deniedRegion                  // the signature does not match, and the reason points at the region
	deniedExpired                 // the credentials (a session token) have expired
	deniedClockSkew               // the signature time is more than 15 minutes off
	deniedAccount                 // the repository belongs to another account
)

var serverRegion = regexp.MustCompile(`server region is ([a-z0-9-]+)`)

// readDenial is the one home of CodeCommit's 403 reason text: it returns
// the cause the reason names and, when the reason names the region the
// endpoint expects, that region. CodeCommit sends no error code with a git
// 403, so its text is all there is; nothing else matches it.
func readDenial(reason string) (denial, string) {
	low := strings.ToLower(reason)
	switch {
	case strings.Contains(low, "region"):
		region := ""
		if m := serverRegion.FindStringSubmatch(reason); m != nil {
			region = m[1]
		}
		return deniedRegion, region
	case strings.Contains(low, "expired"):
		return deniedExpired, ""
	case strings.Contains(low, "15 minutes"):
		return deniedClockSkew, ""
	case strings.Contains(low, "belongs to account"):
		return deniedAccount, ""
	}
	return deniedOther, ""
}
