package awscreds

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/gitcodecommit/git-codecommit/internal/safefile"
)

// maxProcessOutput caps what a credential_process may print: real output is
// a few hundred bytes.
const maxProcessOutput = 64 << 10

// processWaitDelay is how long a cancelled credential_process (and whatever
// it started) has to go away before its pipes are closed on it.
const processWaitDelay = 200 * time.Millisecond

// processProvider runs a profile's credential_process the way the AWS CLI
// does (through the shell, output as JSON with Version 1), and unlike the
// SDK's provider: in its own process group, which is killed whole when the
// bound passes or the program is interrupted, so no child outlives it; with
// its standard output capped; with standard input the null device (never
// git's protocol stream) and standard error the program's.
type processProvider struct {
	profile, command string
	environ          []string
	stderr           io.Writer
}

// keysFromCredentialsFile reports whether sc's keys come from the shared
// credentials file credsFile, where botocore takes them before a
// credential_process; keys in the config file come after it. The SDK
// records the file the access key was read from in Credentials.Source.
func keysFromCredentialsFile(sc config.SharedConfig, credsFile string) bool {
	return sc.Credentials.HasKeys() && sc.Credentials.Source == "SharedConfigCredentials: "+credsFile
}

func (p processProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	shell, flag := "sh", "-c"
	if runtime.GOOS == "windows" {
		shell, flag = "cmd.exe", "/C"
	}
	cmd := exec.CommandContext(ctx, shell, flag, p.command)
	cmd.Env = p.environ
	cmd.Stderr = p.stderr
	out := &safefile.Writer{Name: "the output of credential_process", Limit: maxProcessOutput}
	cmd.Stdout = out
	cmd.WaitDelay = processWaitDelay
	ownGroup(cmd)
	err := cmd.Run()
	switch {
	case out.Err() != nil:
		return aws.Credentials{}, &CredentialError{Profile: p.profile, Source: "credential_process", Message: out.Err().Error()}
	case ctx.Err() != nil:
		return aws.Credentials{}, ctx.Err()
	case err != nil:
		return aws.Credentials{}, &CredentialError{Profile: p.profile, Source: "credential_process", Message: err.Error()}
	}
	var v struct {
		Version                                              int
		AccessKeyID                                          string `json:"AccessKeyId"`
		SecretAccessKey, SessionToken, Expiration, AccountID string `json:",omitempty"`
	}
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		return aws.Credentials{}, &CredentialError{Profile: p.profile, Source: "credential_process", Message: "its output is not JSON"}
	}
	if v.Version != 1 {
		return aws.Credentials{}, &CredentialError{Profile: p.profile, Source: "credential_process", Message: fmt.Sprintf("unsupported Version %d in its output, want 1", v.Version)}
	}
	if v.AccessKeyID == "" || v.SecretAccessKey == "" {
		return aws.Credentials{}, &CredentialError{Profile: p.profile, Source: "credential_process", Message: "its output has no AccessKeyId or SecretAccessKey"}
	}
	c := aws.Credentials{AccessKeyID: v.AccessKeyID, SecretAccessKey: v.SecretAccessKey, SessionToken: v.SessionToken, AccountID: v.AccountID, Source: "ProcessProvider"}
	if v.Expiration != "" {
		t, err := time.Parse(time.RFC3339, v.Expiration)
		if err != nil {
			return aws.Credentials{}, &CredentialError{Profile: p.profile, Source: "credential_process", Message: "its Expiration is not an RFC 3339 time"}
		}
		c.CanExpire, c.Expires = true, t
	}
	return c, nil
}

// processProvider returns the provider of profile's credential_process.
func (o Options) processProvider(profile, command string) aws.CredentialsProvider {
	return processProvider{profile: profile, command: command, environ: o.Environ, stderr: o.Stderr}
}
