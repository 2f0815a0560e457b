// Package endpoint maps an AWS region (plus the FIPS preference and an
// optional CODE_COMMIT_ENDPOINT override) to the CodeCommit git HTTPS host,
// and maps a CodeCommit git host back to its region for the credential
// helper.
//
// Scope: pure functions over an embedded region table (regions.txt). The
// package reads no environment and does no I/O; callers decide whether FIPS
// is wanted and pass the override value in. Whether a repository or
// credentials exist is not its concern.
package endpoint

import (
	_ "embed"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gitcodecommit/git-codecommit/internal/names"
)

//go:embed regions.txt
var regionsTxt string

// Partition names.
const (
	PartitionAWS   = "aws"
	PartitionChina = "aws-cn"
	PartitionGov   = "aws-us-gov"
)

// Region is one row of the CodeCommit region table.
type Region struct {
	Name      string // e.g. us-east-1
	Partition string // aws, aws-cn or aws-us-gov
	FIPS      bool   // a git-codecommit-fips.REGION host exists
}

// regionSyntax reports whether s is a region name in canonical form (the
// rule is package names').
func regionSyntax(s string) bool {
	c, err := names.Region(s)
	return err == nil && c == s
}

// vpceID matches the first label of a CodeCommit interface VPC endpoint
// host: vpce-<hex id>-<suffix>, optionally followed by -<availability zone>.
var vpceID = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^vpce-[0-9a-f]{1,32}-[a-z0-9]{1,32}(-[a-z]{2}(-[a-z]+)+-[0-9]+[a-z])?$`)
})

var table = sync.OnceValue(func() []Region {
	rs, err := parseTable(regionsTxt)
	if err != nil {
		panic("endpoint: embedded regions.txt: " + err.Error())
	}
	return rs
})

func parseTable(s string) ([]Region, error) {
	var rs []Region
	seen := map[string]bool{}
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want 3 fields, got %d", i+1, len(f))
		}
		if !regionSyntax(f[0]) {
			return nil, fmt.Errorf("line %d: malformed region %q", i+1, f[0])
		}
		if seen[f[0]] {
			return nil, fmt.Errorf("line %d: duplicate region %q", i+1, f[0])
		}
		seen[f[0]] = true
		if dnsSuffix(f[1]) == "" {
			return nil, fmt.Errorf("line %d: unknown partition %q", i+1, f[1])
		}
		if f[2] != "fips" && f[2] != "-" {
			return nil, fmt.Errorf("line %d: FIPS column must be fips or -, got %q", i+1, f[2])
		}
		rs = append(rs, Region{Name: f[0], Partition: f[1], FIPS: f[2] == "fips"})
	}
	return rs, nil
}

func dnsSuffix(partition string) string {
	switch partition {
	case PartitionAWS, PartitionGov:
		return "amazonaws.com"
	case PartitionChina:
		return "amazonaws.com.cn"
	}
	return ""
}

// guessPartition returns the partition a well-formed region not in the
// table most likely belongs to.
func guessPartition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return PartitionChina
	case strings.HasPrefix(region, "us-gov-"):
		return PartitionGov
	}
	return PartitionAWS
}

// Regions returns a copy of the region table, in table order.
func Regions() []Region { return slices.Clone(table()) }

// Known reports whether region is in the CodeCommit region table.
func Known(region string) bool {
	_, ok := lookup(region)
	return ok
}

func lookup(region string) (Region, bool) {
	for _, r := range table() {
		if r.Name == region {
			return r, true
		}
	}
	return Region{}, false
}

// FIPSRegions returns the names of the regions that have a FIPS endpoint.
func FIPSRegions() []string {
	var out []string
	for _, r := range table() {
		if r.FIPS {
			out = append(out, r.Name)
		}
	}
	return out
}

// Error is a region, FIPS or override problem. Error() is one line;
// Hint() says how to fix it.
type Error struct {
	Input  string // the offending value (region or override)
	Reason string // what is wrong, one line
	Fix    string // how to fix it, one line
}

func (e *Error) Error() string { return e.Reason }

// Hint returns how to fix the problem.
func (e *Error) Hint() string { return e.Fix }

// Options selects an endpoint.
type Options struct {
	Region   string // required
	FIPS     bool   // AWS_USE_FIPS_ENDPOINT=true or profile use_fips_endpoint (caller decides)
	Override string // CODE_COMMIT_ENDPOINT value: host[:port], optionally with https:// and a trailing /
}

// Endpoint is the resolved git HTTPS endpoint.
type Endpoint struct {
	Host       string // host[:port] exactly as it will be signed and sent
	Partition  string // aws, aws-cn, aws-us-gov ("" for an override)
	FIPS       bool   // Host is a CodeCommit FIPS host (false for an override)
	Overridden bool   // Host came from Options.Override
	Warning    string // non-empty when the region is well-formed but not in the table
}

// ValidRegion reports whether s is a syntactically valid region name. It
// does not check that the region exists; see Known.
func ValidRegion(s string) error {
	if s == "" {
		return &Error{Input: s, Reason: "no AWS region given",
			Fix: "set a region with codecommit::REGION://REPO, AWS_REGION, or region in the AWS profile"}
	}
	if c, err := names.Region(s); err != nil || c != s {
		return &Error{Input: s, Reason: fmt.Sprintf("malformed AWS region %q", s),
			Fix: "a region is lowercase words and a number joined by dashes, e.g. us-east-1 or us-gov-west-1"}
	}
	return nil
}

// Resolve returns the CodeCommit git host for o.
//
// An override wins over the region table and over FIPS; its host[:port] is
// used verbatim (the port is part of the signed host). The region must still
// be well-formed because it scopes the signature.
func Resolve(o Options) (Endpoint, error) {
	if err := ValidRegion(o.Region); err != nil {
		return Endpoint{}, err
	}
	if o.Override != "" {
		host, err := normalizeOverride(o.Override)
		if err != nil {
			return Endpoint{}, err
		}
		return Endpoint{Host: host, Overridden: true}, nil
	}
	r, known := lookup(o.Region)
	if o.FIPS && !r.FIPS {
		what := "has no CodeCommit FIPS endpoint"
		if !known {
			what = "is not a known CodeCommit region and has no known FIPS endpoint"
		}
		fips := strings.Join(FIPSRegions(), ", ")
		return Endpoint{}, &Error{
			Input:  o.Region,
			Reason: fmt.Sprintf("region %q %s; FIPS endpoints exist only in %s", o.Region, what, fips),
			Fix:    "unset AWS_USE_FIPS_ENDPOINT / use_fips_endpoint, or use one of these regions: " + fips,
		}
	}
	ep := Endpoint{Partition: r.Partition, FIPS: o.FIPS}
	if !known {
		ep.Partition = guessPartition(o.Region)
	}
	service := "git-codecommit"
	if o.FIPS {
		service = "git-codecommit-fips"
	}
	ep.Host = service + "." + o.Region + "." + dnsSuffix(ep.Partition)
	if !known {
		ep.Warning = fmt.Sprintf("region %s is not a known CodeCommit region; trying %s", o.Region, ep.Host)
	}
	return ep, nil
}

// OverrideHost returns the host[:port] a CODE_COMMIT_ENDPOINT value names,
// or "" when it is empty or malformed.
func OverrideHost(v string) string {
	if v == "" {
		return ""
	}
	h, err := normalizeOverride(v)
	if err != nil {
		return ""
	}
	return h
}

// IsOverride reports whether host (host[:port], as in a URL or git's
// credential request) is the one a CODE_COMMIT_ENDPOINT value override
// names: the one rule for it, both sides as on the wire (a default :443
// dropped), letters in any case. An empty or malformed override names none.
func IsOverride(host, override string) bool {
	o := OverrideHost(override)
	return o != "" && host != "" && strings.EqualFold(names.WireHost(o), names.WireHost(host))
}

// normalizeOverride checks a CODE_COMMIT_ENDPOINT value and returns its
// host[:port]. A leading https:// and one trailing / are tolerated.
func normalizeOverride(v string) (string, error) {
	bad := func(reason string) error {
		return &Error{Input: v,
			Reason: fmt.Sprintf("invalid CODE_COMMIT_ENDPOINT %q: %s", v, reason),
			Fix:    "set CODE_COMMIT_ENDPOINT to host[:port], e.g. git-codecommit.us-east-1.amazonaws.com or localhost:8443"}
	}
	for _, c := range v {
		if c <= ' ' || c == 0x7f {
			return "", bad("it contains whitespace or control characters")
		}
	}
	s := v
	if i := strings.Index(s, "://"); i >= 0 {
		if !strings.EqualFold(s[:i], "https") {
			return "", bad(fmt.Sprintf("scheme %q is not supported; only https is", s[:i]))
		}
		s = s[i+3:]
	}
	s = strings.TrimSuffix(s, "/")
	if strings.ContainsAny(s, "@") {
		return "", bad("userinfo (user@) is not allowed")
	}
	if strings.ContainsAny(s, "/?#") {
		return "", bad("a path, query or fragment is not allowed")
	}
	if s == "" {
		return "", bad("the host is empty")
	}
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", bad("unterminated IPv6 literal")
		}
		host, port = s[:end+1], s[end+1:]
		if port != "" && !strings.HasPrefix(port, ":") {
			return "", bad("unexpected text after the IPv6 literal")
		}
		port = strings.TrimPrefix(port, ":")
		if a, err := netip.ParseAddr(host[1 : len(host)-1]); err != nil || !a.Is6() || a.Zone() != "" {
			return "", bad("invalid IPv6 literal")
		}
	} else {
		if strings.Count(s, ":") > 1 {
			return "", bad("an IPv6 address must be in brackets")
		}
		if i := strings.IndexByte(s, ':'); i >= 0 {
			host, port = s[:i], s[i+1:]
		}
		if err := checkHostname(host); err != "" {
			return "", bad(err)
		}
	}
	if strings.HasSuffix(s, ":") {
		return "", bad("the port is empty")
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '0' || port[0] == '+' {
			return "", bad(fmt.Sprintf("invalid port %q", port))
		}
	}
	return names.WireHost(s), nil
}

// checkHostname returns "" when h is a plausible DNS name or IPv4 address.
func checkHostname(h string) string {
	if h == "" {
		return "the host is empty"
	}
	if len(h) > 253 {
		return "the host name is too long"
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" {
			return "the host name has an empty label"
		}
		if len(label) > 63 {
			return "a host name label is longer than 63 characters"
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return fmt.Sprintf("invalid character %q in the host name", c)
			}
		}
	}
	return ""
}

// RepoURL returns the git HTTPS URL of repo on host: https://HOST/v1/repos/REPO.
func RepoURL(host, repo string) string {
	return "https://" + host + "/v1/repos/" + url.PathEscape(repo)
}

// HostInfo is what a CodeCommit git host name says about itself.
type HostInfo struct {
	Region      string
	FIPS        bool
	VPCEndpoint bool
}

// HostPatterns are the host forms ParseHost recognises, as URL-matching
// globs in which "*" stands for exactly one DNS label (git's rule for
// http.<url> and credential.<url>): regular and FIPS hosts, in the aws and
// aws-cn DNS suffixes, directly or through an interface VPC endpoint.
func HostPatterns() []string {
	var out []string
	for _, vpce := range []bool{false, true} {
		for _, suffix := range []string{"amazonaws.com", "amazonaws.com.cn"} {
			for _, name := range []string{"git-codecommit", "git-codecommit-fips"} {
				h := name + ".*." + suffix
				if vpce {
					h = "*." + name + ".*.vpce." + suffix
				}
				out = append(out, h)
			}
		}
	}
	return out
}

// ParseHost recognises CodeCommit git hosts (case-insensitive, port ignored):
//
//	git-codecommit.REGION.amazonaws.com
//	git-codecommit-fips.REGION.amazonaws.com
//	git-codecommit.REGION.amazonaws.com.cn
//	vpce-ID.git-codecommit.REGION.vpce.amazonaws.com
//	vpce-ID.git-codecommit-fips.REGION.vpce.amazonaws.com
//
// (China hosts may also be VPC endpoints). REGION must be well-formed; it
// need not be in the table. Anything else returns false.
func ParseHost(host string) (HostInfo, bool) {
	h := strings.ToLower(host)
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		port := h[i+1:]
		if port == "" || strings.Trim(port, "0123456789") != "" || len(port) > 5 {
			return HostInfo{}, false
		}
		h = h[:i]
	}
	h = strings.TrimSuffix(h, ".") // fully qualified form
	labels := strings.Split(h, ".")
	china := false
	switch {
	case len(labels) >= 2 && labels[len(labels)-2] == "amazonaws" && labels[len(labels)-1] == "com":
		labels = labels[:len(labels)-2]
	case len(labels) >= 3 && labels[len(labels)-3] == "amazonaws" && labels[len(labels)-2] == "com" && labels[len(labels)-1] == "cn":
		labels = labels[:len(labels)-3]
		china = true
	default:
		return HostInfo{}, false
	}
	var info HostInfo
	switch len(labels) {
	case 2: // git-codecommit[-fips].REGION
	case 4: // vpce-ID.git-codecommit[-fips].REGION.vpce
		if labels[3] != "vpce" || !vpceID().MatchString(labels[0]) {
			return HostInfo{}, false
		}
		info.VPCEndpoint = true
		labels = labels[1:3]
	default:
		return HostInfo{}, false
	}
	switch labels[0] {
	case "git-codecommit":
	case "git-codecommit-fips":
		info.FIPS = true
	default:
		return HostInfo{}, false
	}
	region := labels[1]
	if !regionSyntax(region) || china != strings.HasPrefix(region, "cn-") {
		return HostInfo{}, false
	}
	info.Region = region
	return info, true
}
