package doctor_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gitcodecommit/git-codecommit/internal/doctor"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
)

func keygen(t *testing.T, path string) {
	t.Helper()
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
}

// firstFail runs doctor --json in dir and returns its first failing check.
func firstFail(t *testing.T, e *gittest.Env, dir string) (*doctor.Check, *doctor.Report) {
	t.Helper()
	r := e.RunIn(dir, "", "git", "codecommit", "doctor", "--json")
	var rep doctor.Report
	if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
		t.Fatalf("doctor --json: exit %d, %v\n%s\n%s", r.Code, err, r.Stdout, r.Stderr)
	}
	if (r.Code == 0) != rep.OK {
		t.Errorf("exit %d with ok %v", r.Code, rep.OK)
	}
	return rep.First(), &rep
}

func TestDoctorSSHCauses(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t, func(c *localserver.Config) { c.Users = []localserver.User{{Name: "dev"}, {Name: "other"}} })
	e.UseSSH()
	other := e.Server.Users()[1]
	e.AppendAWSCredentials("\n[other]\naws_access_key_id = " + other.AccessKeyID + "\naws_secret_access_key = " + other.SecretAccessKey + "\n")
	e.AppendAWSConfig("\n[profile other]\nregion = us-east-1\nca_bundle = " + e.Server.CAFile() + "\n")

	key := filepath.Join(e.Home, ".ssh", "cc")
	keygen(t, key)
	out := e.Run("git", "codecommit", "ssh", "setup", "--key", key).Must()
	id := regexp.MustCompile(`APKA[A-Z0-9]{16}`).FindString(out)
	dir := e.Path("proj")
	e.Git("clone", "-q", "ssh://"+e.Server.SSHHost()+"/v1/repos/demo", dir).Must()

	if c, rep := firstFail(t, e, dir); c != nil {
		t.Fatalf("healthy ssh remote: %s: %s\n%+v", c.ID, c.Evidence, rep.Checks)
	}
	good, _ := os.ReadFile(e.SSHConfig())
	restore := func() {
		t.Helper()
		if err := os.WriteFile(e.SSHConfig(), good, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	expect := func(name, check string, evidence ...string) {
		t.Helper()
		c, rep := firstFail(t, e, dir)
		if c == nil || c.ID != check {
			t.Errorf("%s: first failure %+v, want %s\n%+v", name, c, check, rep.Checks)
			return
		}
		for _, w := range evidence {
			if !strings.Contains(c.Evidence, w) {
				t.Errorf("%s: evidence %q lacks %q", name, c.Evidence, w)
			}
		}
		if c.Fix == "" {
			t.Errorf("%s: no fix", name)
		}
	}

	// No User line.
	os.WriteFile(e.SSHConfig(), []byte(regexp.MustCompile(`(?m)^  User .*\n`).ReplaceAllString(string(good), "")), 0o600)
	expect("no User", "ssh-config", "no User")
	// A User that is not a key ID.
	os.WriteFile(e.SSHConfig(), []byte(strings.Replace(string(good), "User "+id, "User dev", 1)), 0o600)
	expect("IAM user name as User", "ssh-config", `"dev" for`, "not an SSH key ID")
	restore()

	// A key of another IAM user.
	key2 := filepath.Join(e.Home, ".ssh", "other")
	keygen(t, key2)
	out = e.Run("git", "codecommit", "ssh", "setup", "--key", key2, "--profile", "other").Must()
	otherID := regexp.MustCompile(`APKA[A-Z0-9]{16}`).FindString(out)
	expect("another user's key", "ssh-key", otherID, "not a key of IAM user dev")
	restore()

	// An Inactive key.
	ic := iamClient(t, e)
	ctx := context.Background()
	if _, err := ic.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyId: aws.String(id), Status: iamtypes.StatusTypeInactive}); err != nil {
		t.Fatal(err)
	}
	expect("inactive key", "ssh-key", "Inactive")
	if _, err := ic.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyId: aws.String(id), Status: iamtypes.StatusTypeActive}); err != nil {
		t.Fatal(err)
	}

	// A missing IdentityFile.
	for _, f := range []string{key, key + ".pub"} {
		if err := os.Rename(f, f+".away"); err != nil {
			t.Fatal(err)
		}
	}
	expect("missing IdentityFile", "identity-file", "IdentityFile missing", key)
	// A mismatched key at the IdentityFile path.
	keygen(t, key)
	expect("mismatched key", "identity-file", "mismatched key")
	for _, f := range []string{key, key + ".pub"} {
		os.Remove(f)
		if err := os.Rename(f+".away", f); err != nil {
			t.Fatal(err)
		}
	}
	if c, rep := firstFail(t, e, dir); c != nil {
		t.Fatalf("after restoring: %s: %s\n%+v", c.ID, c.Evidence, rep.Checks)
	}
}

func iamClient(t *testing.T, e *gittest.Env) *iam.Client {
	t.Helper()
	u := e.Server.Users()[0]
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(u.AccessKeyID, u.SecretAccessKey, ""),
		BaseEndpoint:     aws.String(e.Server.URL()),
		RetryMaxAttempts: 1,
	}
	pem, err := os.ReadFile(e.Server.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewFromConfig(cfg, func(o *iam.Options) { o.HTTPClient = caClient(t, pem) })
}

func caClient(t *testing.T, pem []byte) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("no CA certificate")
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}
