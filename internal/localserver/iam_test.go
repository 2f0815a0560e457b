package localserver

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
	"golang.org/x/crypto/ssh"
)

func (ts *testServer) iamClient(key, secret, token string) *iam.Client {
	return iam.NewFromConfig(ts.awsConfig("us-east-1", key, secret, token))
}

func rsaAuthorizedKey(t *testing.T, bits int) (string, *rsa.PrivateKey) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ssh.NewPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(ssh.MarshalAuthorizedKey(pub)), k
}

func TestIAMSSHKeysWithSDK(t *testing.T) {
	ts := start(t, Config{Users: []User{{Name: "alice"}, {Name: "bob"}}})
	ctx := context.Background()
	alice, bob := ts.Users()[0], ts.Users()[1]
	c := ts.iamClient(alice.AccessKeyID, alice.SecretAccessKey, "")

	body, _ := rsaAuthorizedKey(t, 2048)
	up, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(body)})
	if err != nil {
		t.Fatal(err)
	}
	k := up.SSHPublicKey
	id := aws.ToString(k.SSHPublicKeyId)
	if !strings.HasPrefix(id, "APKA") || len(id) != 20 || k.Status != iamtypes.StatusTypeActive || strings.Count(aws.ToString(k.Fingerprint), ":") != 15 {
		t.Fatalf("uploaded key %+v", k)
	}
	if _, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(body)}); apiCode(err) != "DuplicateSSHPublicKey" {
		t.Errorf("duplicate: %v", err)
	}
	short, _ := rsaAuthorizedKey(t, 1024)
	if _, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(short)}); apiCode(err) != "InvalidPublicKey" {
		t.Errorf("1024-bit key: %v", err)
	}
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	epub, _ := ssh.NewPublicKey(&ek.PublicKey)
	if _, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(string(ssh.MarshalAuthorizedKey(epub)))}); apiCode(err) != "UnrecognizedPublicKeyEncoding" {
		t.Errorf("ecdsa key: %v", err)
	}
	if _, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("nobody"), SSHPublicKeyBody: aws.String(body)}); apiCode(err) != "NoSuchEntity" {
		t.Errorf("unknown user: %v", err)
	}
	for i := 0; i < 4; i++ {
		b, _ := rsaAuthorizedKey(t, 2048)
		if _, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
	sixth, _ := rsaAuthorizedKey(t, 2048)
	if _, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(sixth)}); apiCode(err) != "LimitExceeded" {
		t.Errorf("sixth key: %v", err)
	}
	list, err := c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{}) // the caller's own user
	if err != nil || len(list.SSHPublicKeys) != 5 || aws.ToString(list.SSHPublicKeys[0].UserName) != "alice" {
		t.Fatalf("list: %v %+v", err, list)
	}
	got, err := c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id), Encoding: iamtypes.EncodingTypeSsh})
	if err != nil || strings.TrimSpace(aws.ToString(got.SSHPublicKey.SSHPublicKeyBody)) != strings.TrimSpace(body) {
		t.Fatalf("get: %v %+v", err, got)
	}
	pemOut, err := c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id), Encoding: iamtypes.EncodingTypePem})
	if err != nil || !strings.HasPrefix(aws.ToString(pemOut.SSHPublicKey.SSHPublicKeyBody), "-----BEGIN PUBLIC KEY-----") {
		t.Fatalf("get PEM: %v", err)
	}
	// A PEM body is accepted too.
	bc := ts.iamClient(bob.AccessKeyID, bob.SecretAccessKey, "")
	if _, err := bc.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("bob"), SSHPublicKeyBody: pemOut.SSHPublicKey.SSHPublicKeyBody}); err != nil {
		t.Errorf("PEM upload: %v", err)
	}
	if _, err := c.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id), Status: iamtypes.StatusTypeInactive}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String("bob"), SSHPublicKeyId: aws.String(id), Encoding: iamtypes.EncodingTypeSsh}); apiCode(err) != "NoSuchEntity" {
		t.Errorf("another user's key: %v", err)
	}
	if _, err := c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id)}); apiCode(err) != "NoSuchEntity" {
		t.Errorf("second delete: %v", err)
	}
}

func TestIAMServiceSpecificCredentialsAndBasicAuth(t *testing.T) {
	ts := start(t, Config{Users: []User{{Name: "alice"}}, Repos: []string{"demo"}})
	ctx := context.Background()
	alice := ts.Users()[0]
	c := ts.iamClient(alice.AccessKeyID, alice.SecretAccessKey, "")

	if _, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("alice"), ServiceName: aws.String("s3.amazonaws.com")}); apiCode(err) != "NotSupportedService" {
		t.Errorf("unsupported service: %v", err)
	}
	cr, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("alice"), ServiceName: aws.String(CodeCommitService)})
	if err != nil {
		t.Fatal(err)
	}
	sc := cr.ServiceSpecificCredential
	if aws.ToString(sc.ServiceUserName) != "alice-at-111122223333" || aws.ToString(sc.ServicePassword) == "" || sc.Status != iamtypes.StatusTypeActive {
		t.Fatalf("credential %+v", sc)
	}
	if _, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("alice"), ServiceName: aws.String(CodeCommitService)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("alice"), ServiceName: aws.String(CodeCommitService)}); apiCode(err) != "LimitExceeded" {
		t.Errorf("third credential: %v", err)
	}
	list, err := c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{ServiceName: aws.String(CodeCommitService)})
	if err != nil || len(list.ServiceSpecificCredentials) != 2 {
		t.Fatalf("list: %v %+v", err, list)
	}

	hc := ts.httpClient()
	get := func(user, pass string) int {
		req, _ := http.NewRequest("GET", ts.URL()+"/v1/repos/demo/info/refs?service=git-upload-pack", nil)
		req.SetBasicAuth(user, pass)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	user, pass := aws.ToString(sc.ServiceUserName), aws.ToString(sc.ServicePassword)
	if code := get(user, pass); code != 200 {
		t.Fatalf("git credential: %d", code)
	}
	if code := get(user, pass+"x"); code != 403 {
		t.Errorf("wrong password: %d", code)
	}
	id := sc.ServiceSpecificCredentialId
	if _, err := c.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{ServiceSpecificCredentialId: id, Status: iamtypes.StatusTypeInactive}); err != nil {
		t.Fatal(err)
	}
	if code := get(user, pass); code != 403 {
		t.Errorf("inactive credential: %d", code)
	}
	if _, err := c.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{ServiceSpecificCredentialId: id, Status: iamtypes.StatusTypeActive}); err != nil {
		t.Fatal(err)
	}
	rs, err := c.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{ServiceSpecificCredentialId: id})
	if err != nil || aws.ToString(rs.ServiceSpecificCredential.ServicePassword) == pass {
		t.Fatalf("reset: %v", err)
	}
	if code := get(user, pass); code != 403 {
		t.Errorf("reset credential's old password: %d", code)
	}
	if code := get(user, aws.ToString(rs.ServiceSpecificCredential.ServicePassword)); code != 200 {
		t.Errorf("new password: %d", code)
	}
	if _, err := c.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{ServiceSpecificCredentialId: id}); err != nil {
		t.Fatal(err)
	}
	if code := get(user, aws.ToString(rs.ServiceSpecificCredential.ServicePassword)); code != 403 {
		t.Errorf("deleted credential: %d", code)
	}
	if strings.Contains(ts.log.String(), pass) {
		t.Error("the log holds a password")
	}
}

// TestGitOverSSH clones and pushes with the real OpenSSH client and git.
func TestGitOverSSH(t *testing.T) {
	t.Parallel() // its own server and temporary directories
	for _, p := range []string{"ssh", "ssh-keygen", "git"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s not found: this test needs the OpenSSH client and git", p)
		}
	}
	ts := start(t, Config{Users: []User{{Name: "alice"}, {Name: "bob"}}, Repos: []string{"demo"}})
	ctx := context.Background()
	alice := ts.Users()[0]
	c := ts.iamClient(alice.AccessKeyID, alice.SecretAccessKey, "")
	home := t.TempDir()
	keyFile := filepath.Join(home, "id_rsa")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", keyFile).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, _ := os.ReadFile(keyFile + ".pub")
	up, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(string(pub))})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(up.SSHPublicKey.SSHPublicKeyId)
	known := filepath.Join(home, "known_hosts")
	os.WriteFile(known, []byte(ts.KnownHostsLine()+"\n"), 0o600)
	host, port, _ := strings.Cut(ts.SSHHost(), ":")
	sshCmd := "ssh -F /dev/null -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + known + " -i " + keyFile
	git := func(dir string, user string, args ...string) (string, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
			"GIT_SSH_COMMAND="+sshCmd, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	url := "ssh://" + id + "@" + host + ":" + port + "/v1/repos/demo"
	work := filepath.Join(home, "work")
	if out, err := git(home, id, "clone", url, work); err != nil {
		t.Fatalf("clone: %v\n%s", err, out)
	}
	os.WriteFile(filepath.Join(work, "f"), []byte("x\n"), 0o644)
	for _, args := range [][]string{{"add", "f"}, {"commit", "-qm", "m"}, {"push", "origin", "HEAD:main"}} {
		if out, err := git(work, id, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	if out, err := git(home, id, "ls-remote", url); err != nil || !strings.Contains(out, "refs/heads/main") {
		t.Fatalf("ls-remote: %v\n%s", err, out)
	}
	// Wrong user, inactive key: Permission denied (publickey).
	wrong := "ssh://alice@" + host + ":" + port + "/v1/repos/demo"
	if out, err := git(home, "", "ls-remote", wrong); err == nil || !strings.Contains(out, "Permission denied (publickey)") {
		t.Errorf("wrong user: %v\n%s", err, out)
	}
	if _, err := c.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id), Status: iamtypes.StatusTypeInactive}); err != nil {
		t.Fatal(err)
	}
	if out, err := git(home, "", "ls-remote", url); err == nil || !strings.Contains(out, "Permission denied (publickey)") {
		t.Errorf("inactive key: %v\n%s", err, out)
	}
}

// TestIAMEntryErrors pins IAM's validation and not-found messages of both
// kinds of entries (SSH keys, service-specific credentials), which share one
// implementation.
func TestIAMEntryErrors(t *testing.T) {
	ts := start(t, Config{Users: []User{{Name: "alice"}}})
	ctx := context.Background()
	alice := ts.Users()[0]
	c := ts.iamClient(alice.AccessKeyID, alice.SecretAccessKey, "")
	short, missing := aws.String("APKA1"), aws.String("APKAAAAAAAAAAAAAAAAAAAAA")
	user := aws.String("alice")
	for _, tc := range []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"get ssh: bad id", func() error {
			_, err := c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: user, SSHPublicKeyId: short, Encoding: iamtypes.EncodingTypeSsh})
			return err
		}, "ValidationError", "1 validation error detected: Value 'APKA1' at 'sSHPublicKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+"},
		{"get ssh: bad encoding", func() error {
			_, err := c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: user, SSHPublicKeyId: missing, Encoding: "DER"})
			return err
		}, "ValidationError", "1 validation error detected: Value 'DER' at 'encoding' failed to satisfy constraint: Member must satisfy enum value set: [SSH, PEM]"},
		{"get ssh: not found", func() error {
			_, err := c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: user, SSHPublicKeyId: missing, Encoding: iamtypes.EncodingTypeSsh})
			return err
		}, "NoSuchEntity", "The Public Key with id APKAAAAAAAAAAAAAAAAAAAAA cannot be found."},
		{"update ssh: bad status", func() error {
			_, err := c.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: user, SSHPublicKeyId: missing, Status: "Paused"})
			return err
		}, "ValidationError", "1 validation error detected: Value 'Paused' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]"},
		{"delete ssh: not found", func() error {
			_, err := c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: user, SSHPublicKeyId: missing})
			return err
		}, "NoSuchEntity", "The Public Key with id APKAAAAAAAAAAAAAAAAAAAAA cannot be found."},
		{"reset cred: bad id", func() error {
			_, err := c.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{ServiceSpecificCredentialId: short})
			return err
		}, "ValidationError", "1 validation error detected: Value 'APKA1' at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+"},
		{"update cred: not found", func() error {
			_, err := c.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{ServiceSpecificCredentialId: missing, Status: iamtypes.StatusTypeActive})
			return err
		}, "NoSuchEntity", "No such credential APKAAAAAAAAAAAAAAAAAAAAA exists"},
		{"delete cred: not found", func() error {
			_, err := c.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: user, ServiceSpecificCredentialId: missing})
			return err
		}, "NoSuchEntity", "No such credential APKAAAAAAAAAAAAAAAAAAAAA exists"},
	} {
		err := tc.call()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != tc.code || ae.ErrorMessage() != tc.msg {
			t.Errorf("%s: got %v, want %s: %s", tc.name, err, tc.code, tc.msg)
		}
	}
}
