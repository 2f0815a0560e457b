package endpoint

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// SSHEndpointVar replaces CodeCommit's SSH host and port (VPC endpoints,
// the local endpoint), as CODE_COMMIT_ENDPOINT does for https.
const SSHEndpointVar = "CODE_COMMIT_SSH_ENDPOINT"

// SSHEndpoint is where git reaches CodeCommit over SSH.
type SSHEndpoint struct {
	Host       string // host name or IP
	Port       string // "" is 22
	Overridden bool   // from CODE_COMMIT_SSH_ENDPOINT
}

// Authority is HOST or HOST:PORT, as in an ssh:// URL.
func (e SSHEndpoint) Authority() string {
	if e.Port == "" || e.Port == "22" {
		if strings.Contains(e.Host, ":") {
			return "[" + e.Host + "]"
		}
		return e.Host
	}
	return net.JoinHostPort(e.Host, e.Port)
}

// RepoURL is ssh://AUTHORITY/v1/repos/REPO.
func (e SSHEndpoint) RepoURL(repo string) string {
	return "ssh://" + e.Authority() + "/v1/repos/" + repo
}

// ResolveSSH returns the SSH endpoint of a region: override
// (CODE_COMMIT_SSH_ENDPOINT, host[:port]) when set, else the region's
// git-codecommit (or FIPS) host on port 22.
func ResolveSSH(region string, fips bool, override string) (SSHEndpoint, error) {
	if override != "" {
		return ParseSSHOverride(override)
	}
	ep, err := Resolve(Options{Region: region, FIPS: fips})
	if err != nil {
		return SSHEndpoint{}, err
	}
	return SSHEndpoint{Host: ep.Host}, nil
}

// ParseSSHOverride parses a CODE_COMMIT_SSH_ENDPOINT value: host[:port]
// (an IPv6 address in brackets), optionally with ssh:// and one trailing /.
func ParseSSHOverride(v string) (SSHEndpoint, error) {
	bad := func(why string) error {
		return &Error{Input: v, Reason: fmt.Sprintf("%s=%q %s", SSHEndpointVar, v, why), Fix: "set " + SSHEndpointVar + "=host[:port], e.g. 127.0.0.1:2222, or unset it"}
	}
	s := strings.TrimSuffix(strings.TrimPrefix(v, "ssh://"), "/")
	if s == "" || strings.ContainsAny(s, "/@ \t\n") {
		return SSHEndpoint{}, bad("is not host[:port]")
	}
	host, port := s, ""
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return SSHEndpoint{}, bad("has an invalid port")
		}
	} else if strings.Contains(strings.Trim(s, "[]"), ":") && !strings.HasPrefix(s, "[") {
		return SSHEndpoint{}, bad("is not host[:port] (put an IPv6 address in brackets)")
	}
	host = strings.Trim(host, "[]")
	if host == "" {
		return SSHEndpoint{}, bad("has no host")
	}
	return SSHEndpoint{Host: host, Port: port, Overridden: true}, nil
}

// IsSSHHost reports whether host (from an ssh URL) is a CodeCommit SSH host
// or the override's.
func IsSSHHost(host, override string) bool {
	if _, ok := ParseHost(host); ok {
		return true
	}
	if o, err := ParseSSHOverride(override); override != "" && err == nil {
		return strings.EqualFold(strings.Trim(host, "[]"), o.Host)
	}
	return false
}
