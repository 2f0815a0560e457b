package awsfiles

import (
	"fmt"
	"strconv"

	"github.com/gitcodecommit/git-codecommit/internal/credcache"
)

// RoleKey is the CLI cache key of the role a profile's settings assume (its
// role_arn, role_session_name, external_id, mfa_serial and
// duration_seconds, as botocore builds it); ok is false when sec assumes no
// role or its duration_seconds is not a positive integer.
func RoleKey(sec map[string]string) (k credcache.Key, ok bool) {
	if sec["role_arn"] == "" {
		return credcache.Key{}, false
	}
	k = credcache.Key{RoleARN: sec["role_arn"], RoleSessionName: sec["role_session_name"], ExternalID: sec["external_id"], SerialNumber: sec["mfa_serial"]}
	if d := sec["duration_seconds"]; d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 || strconv.Itoa(n) != d {
			return credcache.Key{}, false
		}
		k.DurationSeconds = n
	}
	return k, true
}

// RoleChainKeys returns the cache keys of the roles profile's credentials
// come through: its own role, then its source_profile's role, and so on, as
// the AWS CLI caches each of them. A profile that assumes no role gives
// none. A chain longer than 16 or circular ends where it repeats.
func RoleChainKeys(f Files, profile string) ([]credcache.Key, error) {
	cfg, err := Read(f.Config)
	if err != nil {
		return nil, err
	}
	creds, err := Read(f.Credentials)
	if err != nil {
		return nil, err
	}
	var keys []credcache.Key
	seen := map[string]bool{}
	for p := profile; p != "" && !seen[p] && len(seen) < 16; {
		seen[p] = true
		cname := "profile " + p
		if p == "default" {
			cname = "default"
		}
		sec := map[string]string{}
		fromCfg, inCfg := cfg.Map(cname)
		fromCreds, inCreds := creds.Map(p)
		if !inCfg && !inCreds {
			if p == profile {
				return nil, fmt.Errorf("profile %q is in neither %s nor %s", p, f.Config, f.Credentials)
			}
			break
		}
		for k, v := range fromCreds {
			sec[k] = v
		}
		for k, v := range fromCfg {
			sec[k] = v
		}
		k, ok := RoleKey(sec)
		if !ok {
			break
		}
		keys = append(keys, k)
		p = sec["source_profile"]
	}
	return keys, nil
}
