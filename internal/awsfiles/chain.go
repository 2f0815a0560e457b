package awsfiles

import (
	"fmt"
	"strings"
)

// SourceChainError is a role profile whose source_profile chain cannot be
// followed: it names a profile that does not exist, or comes back to a
// profile already in the chain.
type SourceChainError struct {
	Profile string   // the profile whose source_profile is wrong
	Missing string   // the profile it names that does not exist ("" for a loop)
	Loop    []string // the chain, ending with the profile that repeats
	Files   []string
}

func (e *SourceChainError) Error() string {
	if e.Missing != "" {
		return fmt.Sprintf("profile %q has source_profile = %s, but profile %q does not exist in %s", e.Profile, e.Missing, e.Missing, strings.Join(e.Files, " or "))
	}
	return "circular source_profile: " + strings.Join(e.Loop, " -> ")
}

// Hint implements failure.Hinter.
func (e *SourceChainError) Hint() string {
	if e.Missing != "" {
		return fmt.Sprintf("create profile %s (aws configure --profile %s), or point source_profile of profile %s at an existing profile", e.Missing, e.Missing, e.Profile)
	}
	return fmt.Sprintf("set source_profile of profile %s to a profile with keys, or use credential_source", e.Loop[len(e.Loop)-2])
}

// CheckSourceChain follows profile's source_profile links through the
// config and credentials files as the AWS CLI does and reports a link to a
// missing profile or a loop. A profile whose source_profile names itself
// and that holds keys is the AWS CLI's way of assuming a role with its own
// keys, not a loop. Unreadable files are left to Check.
func (f Files) CheckSourceChain(profile string) error {
	cfg, err := Read(f.Config)
	if err != nil {
		return nil
	}
	creds, err := Read(f.Credentials)
	if err != nil {
		return nil
	}
	settings := func(p string) (map[string]string, bool) {
		name := "profile " + p
		if p == "default" {
			name = "default"
		}
		m, inCfg := cfg.Map(name)
		c, inCreds := creds.Map(p)
		if m == nil {
			m = map[string]string{}
		}
		for k, v := range c {
			if _, ok := m[k]; !ok {
				m[k] = v
			}
		}
		return m, inCfg || inCreds
	}
	chain := []string{profile}
	seen := map[string]bool{profile: true}
	cur := profile
	for {
		m, found := settings(cur)
		if !found {
			return nil // the profile itself missing is the caller's error
		}
		src := m["source_profile"]
		if m["role_arn"] == "" || src == "" {
			return nil
		}
		if src == cur && m["aws_access_key_id"] != "" {
			return nil
		}
		if seen[src] {
			return &SourceChainError{Profile: cur, Loop: append(chain, src), Files: []string{f.Config, f.Credentials}}
		}
		if _, ok := settings(src); !ok {
			return &SourceChainError{Profile: cur, Missing: src, Files: []string{f.Config, f.Credentials}}
		}
		chain = append(chain, src)
		seen[src] = true
		cur = src
	}
}
