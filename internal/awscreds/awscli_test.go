package awscreds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
	"github.com/gitcodecommit/git-codecommit/internal/target"
)

// cliList is what `aws configure list` shows: each row's value ("" for
// <not set>) and type.
type cliList map[string][2]string

// awsCLI runs the AWS CLI with exactly env (and PATH), never reaching past
// 127.0.0.1: metadata disabled, STS only at the local endpoint.
func awsCLI(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "aws", args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "AWS_EC2_METADATA_DISABLED=true", "AWS_MAX_ATTEMPTS=1"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func parseList(t *testing.T, out string) cliList {
	t.Helper()
	rows := cliList{}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(strings.ReplaceAll(l, "<not set>", "<not-set>"))
		if len(f) < 3 || f[0] == "Name" || f[0] == "----" {
			continue
		}
		if f[1] == "<not-set>" {
			f[1] = ""
		}
		rows[f[0]] = [2]string{f[1], f[2]}
	}
	return rows
}

// TestSideBySideWithAWSCLI: for a table of environments, the AWS CLI
// installed on the machine (`aws configure list`, `aws sts
// get-caller-identity` against the local endpoint) and this package pick
// the same profile, region, access key and kind of source, and the same
// identity; where they differ on purpose, the README's list of deliberate
// differences says why.
func TestSideBySideWithAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("aws (the AWS CLI) is not on PATH")
	}
	s, err := localserver.Start(t.Context(), localserver.Config{Dir: t.TempDir(), Repos: []string{"demo"}, Users: []localserver.User{{Name: "dev"}, {Name: "ops"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	dev, ops := s.Users()[0], s.Users()[1]
	keys := func(u localserver.User) string {
		return "aws_access_key_id = " + u.AccessKeyID + "\naws_secret_access_key = " + u.SecretAccessKey + "\n"
	}
	config := "[default]\nregion = eu-west-1\n[profile ops]\nregion = eu-west-2\n[profile bare]\n" +
		"[profile inconfig]\nregion = ap-south-1\n" + keys(ops)
	credentials := "[default]\n" + keys(dev) + "[ops]\n" + keys(ops) + "[bare]\n" + keys(ops) + "[credsonly]\n" + keys(dev) + "[half]\naws_secret_access_key = x\n"

	procDir := t.TempDir()
	script := filepath.Join(procDir, "creds")
	if err := os.WriteFile(script, []byte(fmt.Sprintf("#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n", ops.AccessKeyID, ops.SecretAccessKey)), 0o700); err != nil {
		t.Fatal(err)
	}
	config += "[profile proc]\nregion = us-west-2\ncredential_process = " + script + "\n" + keys(dev)

	type want struct {
		profile string // "" : <not set>, our "default"
		region  string
		key     string // the access key id picked
		cliType string // the access key's type in aws configure list
		kind    credential.Kind
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want want
		// ourRegion, when set, is where this package deliberately
		// differs from the AWS CLI v1 (README: deliberate differences).
		ourRegion string
		partial   bool
		identity  bool // also compare aws sts get-caller-identity (one case per kind of source: each run of the CLI costs a second of CPU)
	}{
		{name: "default profile", want: want{"", "eu-west-1", dev.AccessKeyID, "shared-credentials-file", credential.KindSharedKeys}, identity: true},
		{name: "AWS_PROFILE", env: map[string]string{"AWS_PROFILE": "ops"}, want: want{"ops", "eu-west-2", ops.AccessKeyID, "shared-credentials-file", credential.KindSharedKeys}},
		{name: "AWS_DEFAULT_PROFILE wins", env: map[string]string{"AWS_PROFILE": "ops", "AWS_DEFAULT_PROFILE": "default"}, want: want{"default", "eu-west-1", dev.AccessKeyID, "shared-credentials-file", credential.KindSharedKeys}},
		{name: "AWS_DEFAULT_PROFILE alone", env: map[string]string{"AWS_DEFAULT_PROFILE": "ops"}, want: want{"ops", "eu-west-2", ops.AccessKeyID, "shared-credentials-file", credential.KindSharedKeys}},
		{name: "AWS_DEFAULT_REGION beats the profile", env: map[string]string{"AWS_PROFILE": "ops", "AWS_DEFAULT_REGION": "sa-east-1"}, want: want{"ops", "sa-east-1", ops.AccessKeyID, "shared-credentials-file", credential.KindSharedKeys}},
		{name: "AWS_REGION (not read by AWS CLI v1)", env: map[string]string{"AWS_REGION": "ca-central-1"}, want: want{"", "eu-west-1", dev.AccessKeyID, "shared-credentials-file", credential.KindSharedKeys}, ourRegion: "ca-central-1"},
		{name: "profile without region", env: map[string]string{"AWS_PROFILE": "bare"}, want: want{"bare", "", ops.AccessKeyID, "shared-credentials-file", credential.KindSharedKeys}, identity: true},
		{name: "profile only in credentials", env: map[string]string{"AWS_PROFILE": "credsonly", "AWS_DEFAULT_REGION": "us-east-2"}, want: want{"credsonly", "us-east-2", dev.AccessKeyID, "shared-credentials-file", credential.KindSharedKeys}},
		{name: "keys in the config file", env: map[string]string{"AWS_PROFILE": "inconfig"}, want: want{"inconfig", "ap-south-1", ops.AccessKeyID, "config-file", credential.KindSharedKeys}},
		{name: "environment keys beat AWS_PROFILE", env: map[string]string{"AWS_PROFILE": "ops", "AWS_ACCESS_KEY_ID": dev.AccessKeyID, "AWS_SECRET_ACCESS_KEY": dev.SecretAccessKey}, want: want{"ops", "eu-west-2", dev.AccessKeyID, "env", credential.KindEnvironment}, identity: true},
		{name: "environment keys beat a profile with half a key pair", env: map[string]string{"AWS_DEFAULT_PROFILE": "half", "AWS_ACCESS_KEY_ID": dev.AccessKeyID, "AWS_SECRET_ACCESS_KEY": dev.SecretAccessKey}, want: want{"half", "", dev.AccessKeyID, "env", credential.KindEnvironment}},
		{name: "credential_process before keys in config", env: map[string]string{"AWS_PROFILE": "proc"}, want: want{"proc", "us-west-2", ops.AccessKeyID, "custom-process", credential.KindProcess}, identity: true},
		{name: "partial keys", env: map[string]string{"AWS_ACCESS_KEY_ID": dev.AccessKeyID}, partial: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			cfg, creds := filepath.Join(home, "config"), filepath.Join(home, "credentials")
			if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(creds, []byte(credentials), 0o600); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"HOME": home, "AWS_CONFIG_FILE": cfg, "AWS_SHARED_CREDENTIALS_FILE": creds, "AWS_CA_BUNDLE": s.CAFile()}
			for k, v := range tc.env {
				env[k] = v
			}
			// The SDK reads some of these from the process environment.
			for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"} {
				t.Setenv(k, env[k])
			}
			t.Setenv("AWS_ENDPOINT_URL_STS", s.URL())
			t.Setenv("AWS_CA_BUNDLE", s.CAFile())
			t.Setenv("AWS_EC2_METADATA_DISABLED", "true")

			out, cliErr := awsCLI(t, env, "configure", "list")
			r, err := Resolve(context.Background(), Options{Env: func(k string) string { return env[k] }})
			if tc.partial {
				var pe *PartialCredentialsError
				if cliErr == nil || !strings.Contains(out, "Partial credentials") || !errors.As(err, &pe) {
					t.Fatalf("aws: %v %s\nours: %v", cliErr, out, err)
				}
				return
			}
			if cliErr != nil || err != nil {
				t.Fatalf("aws configure list: %v\n%s\nours: %v", cliErr, out, err)
			}
			rows := parseList(t, out)
			if rows["profile"][0] != tc.want.profile {
				t.Errorf("aws profile %q, want %q\n%s", rows["profile"][0], tc.want.profile, out)
			}
			wantProfile := tc.want.profile
			if wantProfile == "" {
				wantProfile = "default"
			}
			if r.Profile != wantProfile || (tc.want.profile == "") != (r.ProfileSource == target.ProfileDefault) {
				t.Errorf("our profile %q from %v, the AWS CLI's %q", r.Profile, r.ProfileSource, rows["profile"][0])
			}
			if rows["region"][0] != tc.want.region {
				t.Errorf("aws region %q, want %q\n%s", rows["region"][0], tc.want.region, out)
			}
			ourRegion := tc.want.region
			if tc.ourRegion != "" {
				ourRegion = tc.ourRegion
			}
			if r.Region != ourRegion {
				t.Errorf("our region %q from %v, want %q (the AWS CLI's %q)", r.Region, r.RegionSource, ourRegion, rows["region"][0])
			}
			last4 := tc.want.key[len(tc.want.key)-4:]
			if ak := rows["access_key"]; !strings.HasSuffix(ak[0], last4) || ak[1] != tc.want.cliType {
				t.Errorf("aws access_key %v, want ****%s from %s\n%s", ak, last4, tc.want.cliType, out)
			}
			if r.Credentials.AccessKeyID != tc.want.key || r.Kind != tc.want.kind {
				t.Errorf("our key ****%s from %v, the AWS CLI's %v", r.Credentials.AccessKeyID[len(r.Credentials.AccessKeyID)-4:], r.Kind, rows["access_key"])
			}

			if !tc.identity {
				return
			}
			// The same identity, through the local endpoint's STS.
			args := []string{"sts", "get-caller-identity", "--endpoint-url", s.URL(), "--output", "json"}
			if tc.want.region == "" {
				args = append(args, "--region", "us-east-1")
			}
			idOut, err := awsCLI(t, env, args...)
			if err != nil {
				t.Fatalf("aws sts get-caller-identity: %v\n%s", err, idOut)
			}
			var cli struct{ Account, Arn, UserId string }
			if err := json.Unmarshal([]byte(idOut), &cli); err != nil {
				t.Fatalf("aws sts get-caller-identity: %v\n%s", err, idOut)
			}
			id, err := r.CallerIdentity(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if cli.Account != id.Account || cli.Arn != id.ARN || cli.Arn == "" {
				t.Errorf("identity: the AWS CLI %s %s, ours %s %s", cli.Account, cli.Arn, id.Account, id.ARN)
			}
		})
	}
}
