package localserver

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	cctypes "github.com/aws/aws-sdk-go-v2/service/codecommit/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

func (ts *testServer) awsConfig(region, key, secret, token string) aws.Config {
	return aws.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, token),
		BaseEndpoint:     aws.String(ts.URL()),
		HTTPClient:       ts.httpClient(),
		RetryMaxAttempts: 1,
	}
}

func (ts *testServer) stsClient(key, secret, token string) *sts.Client {
	return sts.NewFromConfig(ts.awsConfig("us-west-2", key, secret, token))
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestSTSWithSDK(t *testing.T) {
	ts := start(t, Config{})
	ctx := context.Background()
	u := ts.Users()[0]
	c := ts.stsClient(u.AccessKeyID, u.SecretAccessKey, "")

	id, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != "arn:aws:iam::111122223333:user/dev" || aws.ToString(id.Account) != "111122223333" || aws.ToString(id.UserId) == "" {
		t.Fatalf("identity %s %s %s", aws.ToString(id.Arn), aws.ToString(id.Account), aws.ToString(id.UserId))
	}

	out, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::111122223333:role/demo-role"),
		RoleSessionName: aws.String("test-session"),
		ExternalId:      aws.String("ext-1"),
		DurationSeconds: aws.Int32(900),
	})
	if err != nil {
		t.Fatal(err)
	}
	cr := out.Credentials
	if !strings.HasPrefix(aws.ToString(cr.AccessKeyId), "ASIA") || len(aws.ToString(cr.AccessKeyId)) != 20 {
		t.Errorf("access key %q", aws.ToString(cr.AccessKeyId))
	}
	tok := aws.ToString(cr.SessionToken)
	if !strings.ContainsAny(tok, "/") || !strings.Contains(tok, "+") || !strings.HasSuffix(tok, "=") {
		t.Errorf("session token lacks / + =: %q", tok)
	}
	if d := time.Until(aws.ToTime(cr.Expiration)); d < 14*time.Minute || d > 16*time.Minute {
		t.Errorf("expiration in %v, want 15m", d)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::111122223333:assumed-role/demo-role/test-session" {
		t.Errorf("assumed role arn %q", got)
	}

	// The temporary credentials work on STS ...
	tc := ts.stsClient(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), tok)
	id2, err := tc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id2.Arn) != aws.ToString(out.AssumedRoleUser.Arn) {
		t.Errorf("temp identity %s", aws.ToString(id2.Arn))
	}
	// ... and on the git endpoint, through real git with the token url-quoted.
	if err := ts.CreateRepository("demo", ""); err != nil {
		t.Fatal(err)
	}
	creds := sigv4.Credentials{AccessKeyID: aws.ToString(cr.AccessKeyId), SecretAccessKey: aws.ToString(cr.SecretAccessKey), SessionToken: tok}
	ts.mustGit("", ts.gitEnv(), "ls-remote", ts.signedURL(creds, "demo"))

	// Default lifetime from CredentialLifetime; GetSessionToken.
	gst, err := c.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(aws.ToTime(gst.Credentials.Expiration)); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("GetSessionToken expiration in %v, want 1h", d)
	}
	if _, err := tc.GetSessionToken(ctx, &sts.GetSessionTokenInput{}); apiCode(err) != "AccessDenied" {
		t.Errorf("GetSessionToken with session creds: %v", err)
	}

	// Errors in STS format.
	bad := ts.stsClient(u.AccessKeyID, "wrong-secret", "")
	if _, err := bad.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); apiCode(err) != "SignatureDoesNotMatch" {
		t.Errorf("wrong secret: %v", err)
	}
	unknown := ts.stsClient("AKIAUNKNOWNUNKNOWN00", "x", "")
	if _, err := unknown.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); apiCode(err) != "InvalidClientTokenId" {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111122223333:role/x"), RoleSessionName: aws.String("s"), DurationSeconds: aws.Int32(60)}); apiCode(err) != "ValidationError" {
		t.Errorf("bad session name/duration: %v", err)
	}
	ts.Faults().ExpireSessionTokens()
	if _, err := tc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); apiCode(err) != "ExpiredToken" {
		t.Errorf("expired: %v", err)
	}
	if code, body := ts.signedGet(creds, "us-east-1", time.Now(), "demo", "git-upload-pack"); code != 403 || !strings.Contains(body, "expired") {
		t.Errorf("git with expired token: %d %q", code, body)
	}
	ts.Faults().SetClockSkew(time.Hour)
	if _, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); apiCode(err) != "SignatureDoesNotMatch" {
		t.Errorf("skewed clock: %v", err)
	}
	ts.Faults().SetClockSkew(0)

	calls := ts.STSCalls()
	if calls["GetCallerIdentity"] != 6 || calls["AssumeRole"] != 2 || calls["GetSessionToken"] != 2 {
		t.Errorf("STSCalls = %v", calls)
	}
}

func TestSTSRolesAndWebIdentity(t *testing.T) {
	ts := start(t, Config{
		Roles:              []string{"arn:aws:iam::111122223333:role/allowed"},
		WebIdentityTokens:  []string{"good-token"},
		CredentialLifetime: 20 * time.Minute,
	})
	ctx := context.Background()
	u := ts.Users()[0]
	c := ts.stsClient(u.AccessKeyID, u.SecretAccessKey, "")
	if _, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111122223333:role/other"), RoleSessionName: aws.String("s1")}); apiCode(err) != "AccessDenied" {
		t.Errorf("unlisted role: %v", err)
	}
	out, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111122223333:role/allowed"), RoleSessionName: aws.String("s1")})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(aws.ToTime(out.Credentials.Expiration)); d < 19*time.Minute || d > 21*time.Minute {
		t.Errorf("expiration in %v, want CredentialLifetime 20m", d)
	}
	anon := sts.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(ts.URL()), HTTPClient: ts.httpClient(), RetryMaxAttempts: 1})
	w, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String("arn:aws:iam::111122223333:role/allowed"), RoleSessionName: aws.String("web"), WebIdentityToken: aws.String("good-token"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(w.AssumedRoleUser.Arn) != "arn:aws:sts::111122223333:assumed-role/allowed/web" || aws.ToString(w.Credentials.SessionToken) == "" {
		t.Errorf("web identity result %+v", w.AssumedRoleUser)
	}
	if _, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String("arn:aws:iam::111122223333:role/allowed"), RoleSessionName: aws.String("web"), WebIdentityToken: aws.String("bad-token"),
	}); apiCode(err) != "InvalidIdentityToken" {
		t.Errorf("bad web token: %v", err)
	}
}

func TestMFA(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	mfa := "arn:aws:iam::111122223333:mfa/dev"
	ts := start(t, Config{
		Users:      []User{{Name: "dev", MFASerial: mfa}},
		TOTPSecret: secret,
		MFARoles:   []string{"arn:aws:iam::111122223333:role/admin"},
	})
	ctx := context.Background()
	u := ts.Users()[0]
	c := ts.stsClient(u.AccessKeyID, u.SecretAccessKey, "")
	role := aws.String("arn:aws:iam::111122223333:role/admin")

	if _, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("mfa")}); apiCode(err) != "AccessDenied" {
		t.Errorf("MFA role without code: %v", err)
	}
	code, _ := TOTP(secret, time.Now())
	wrong := "000000"
	if wrong == code {
		wrong = "111111"
	}
	_, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("mfa"), SerialNumber: aws.String(mfa), TokenCode: aws.String(wrong)})
	if apiCode(err) != "AccessDenied" || !strings.Contains(err.Error(), "invalid MFA one time pass code") {
		t.Errorf("wrong code: %v", err)
	}
	if _, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("mfa"), SerialNumber: aws.String("arn:aws:iam::111122223333:mfa/other"), TokenCode: aws.String(code)}); apiCode(err) != "AccessDenied" {
		t.Errorf("wrong serial: %v", err)
	}
	if _, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("mfa"), SerialNumber: aws.String(mfa), TokenCode: aws.String(code)}); err != nil {
		t.Errorf("right code: %v", err)
	}
	prev, _ := TOTP(secret, time.Now().Add(-30*time.Second))
	if _, err := c.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(mfa), TokenCode: aws.String(prev)}); err != nil {
		t.Errorf("previous step code: %v", err)
	}

	fixed := start(t, Config{MFACode: "123456"})
	fu := fixed.Users()[0]
	fc := fixed.stsClient(fu.AccessKeyID, fu.SecretAccessKey, "")
	r := aws.String("arn:aws:iam::111122223333:role/any")
	if _, err := fc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: r, RoleSessionName: aws.String("mfa"), SerialNumber: aws.String("arn:aws:iam::111122223333:mfa/dev"), TokenCode: aws.String("654321")}); apiCode(err) != "AccessDenied" {
		t.Errorf("fixed code, wrong: %v", err)
	}
	if _, err := fc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: r, RoleSessionName: aws.String("mfa"), SerialNumber: aws.String("arn:aws:iam::111122223333:mfa/dev"), TokenCode: aws.String("123456")}); err != nil {
		t.Errorf("fixed code, right: %v", err)
	}
}

func TestTOTPVectors(t *testing.T) {
	// RFC 6238 appendix B (SHA1), last six digits.
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	for _, v := range []struct {
		t    int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1234567890, "005924"}, {20000000000, "353130"}} {
		got, err := TOTP(secret, time.Unix(v.t, 0))
		if err != nil || got != v.want {
			t.Errorf("TOTP at %d = %q, %v; want %s", v.t, got, err, v.want)
		}
	}
	if _, err := TOTP("not base32!", time.Now()); err == nil {
		t.Error("bad secret accepted")
	}
}

func TestCodeCommitWithSDK(t *testing.T) {
	ts := start(t, Config{Region: "eu-west-1"})
	ctx := context.Background()
	u := ts.Users()[0]
	cc := codecommit.NewFromConfig(ts.awsConfig("eu-west-1", u.AccessKeyID, u.SecretAccessKey, ""))

	out, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("app"), RepositoryDescription: aws.String("the app")})
	if err != nil {
		t.Fatal(err)
	}
	md := out.RepositoryMetadata
	if aws.ToString(md.Arn) != "arn:aws:codecommit:eu-west-1:111122223333:app" ||
		aws.ToString(md.CloneUrlHttp) != "https://"+ts.Host()+"/v1/repos/app" ||
		aws.ToString(md.CloneUrlSsh) != "ssh://"+ts.SSHHost()+"/v1/repos/app" ||
		aws.ToString(md.AccountId) != "111122223333" || aws.ToString(md.RepositoryDescription) != "the app" ||
		aws.ToString(md.RepositoryId) == "" || md.CreationDate == nil || time.Since(*md.CreationDate) > time.Minute {
		t.Errorf("metadata %+v", md)
	}
	if md.DefaultBranch != nil {
		t.Errorf("empty repository has default branch %q", aws.ToString(md.DefaultBranch))
	}
	_, err = cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("app")})
	var exists *cctypes.RepositoryNameExistsException
	if !errors.As(err, &exists) {
		t.Errorf("duplicate create: %v", err)
	}
	_, err = cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("bad name")})
	var invalid *cctypes.InvalidRepositoryNameException
	if !errors.As(err, &invalid) {
		t.Errorf("invalid name: %v", err)
	}
	_, err = cc.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("missing")})
	var missing *cctypes.RepositoryDoesNotExistException
	if !errors.As(err, &missing) {
		t.Errorf("missing repo: %v", err)
	}
	_, err = cc.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("")})
	var required *cctypes.RepositoryNameRequiredException
	if !errors.As(err, &required) {
		t.Errorf("no name: %v", err)
	}

	// Push something: defaultBranch appears.
	env := ts.gitEnv()
	work := t.TempDir()
	ts.mustGit(work, env, "init", "-q", "-b", "main")
	ts.mustGit(work, env, "commit", "-q", "--allow-empty", "-m", "x")
	sg := sigv4.Sign(ts.creds(), sigv4.Request{Region: "eu-west-1", Host: ts.Host(), Path: "/v1/repos/app"}, time.Now())
	ts.mustGit(work, env, "push", "-q", "https://"+sigv4.QuoteUsername(sg.Username)+":"+sg.Password+"@"+ts.Host()+"/v1/repos/app", "main")
	g, err := cc.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("app")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(g.RepositoryMetadata.DefaultBranch) != "main" || aws.ToString(g.RepositoryMetadata.RepositoryId) != aws.ToString(md.RepositoryId) {
		t.Errorf("after push: %+v", g.RepositoryMetadata)
	}

	if err := ts.CreateRepository("zeta", ""); err != nil {
		t.Fatal(err)
	}
	l, err := cc.ListRepositories(ctx, &codecommit.ListRepositoriesInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range l.Repositories {
		names = append(names, aws.ToString(r.RepositoryName))
	}
	if strings.Join(names, ",") != "app,zeta" {
		t.Errorf("list = %v", names)
	}

	ts.Faults().SetRepoAccount("zeta", "999988887777")
	z, err := cc.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("zeta")})
	if err != nil || aws.ToString(z.RepositoryMetadata.Arn) != "arn:aws:codecommit:eu-west-1:999988887777:zeta" {
		t.Errorf("foreign repo: %v %+v", err, z)
	}

	d, err := cc.DeleteRepository(ctx, &codecommit.DeleteRepositoryInput{RepositoryName: aws.String("app")})
	if err != nil || aws.ToString(d.RepositoryId) != aws.ToString(md.RepositoryId) {
		t.Errorf("delete: %v", err)
	}
	if _, err := os.Stat(filepath.Join(ts.Dir(), "app")); !os.IsNotExist(err) {
		t.Errorf("repository dir still there: %v", err)
	}
	d, err = cc.DeleteRepository(ctx, &codecommit.DeleteRepositoryInput{RepositoryName: aws.String("app")})
	if err != nil || d.RepositoryId != nil {
		t.Errorf("delete again: %v %v", err, d)
	}

	bad := codecommit.NewFromConfig(ts.awsConfig("eu-west-1", u.AccessKeyID, "wrong", ""))
	if _, err := bad.ListRepositories(ctx, &codecommit.ListRepositoriesInput{}); apiCode(err) != "InvalidSignatureException" {
		t.Errorf("wrong secret: %v", err)
	}
}

func TestAWSFilesClientEnvAndServe(t *testing.T) {
	ts := start(t, Config{})
	dir := filepath.Join(t.TempDir(), "aws")
	cfgPath, credPath, err := ts.WriteAWSFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{cfgPath, credPath} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", p, fi.Mode(), err)
		}
	}
	env := ts.ClientEnv()
	want := map[string]string{
		"CODE_COMMIT_ENDPOINT":        ts.Host(),
		"GIT_SSL_CAINFO":              ts.CAFile(),
		"AWS_CA_BUNDLE":               ts.CAFile(),
		"AWS_ENDPOINT_URL_STS":        ts.URL(),
		"AWS_ENDPOINT_URL_CODECOMMIT": ts.URL(),
		"AWS_CONFIG_FILE":             cfgPath,
		"AWS_SHARED_CREDENTIALS_FILE": credPath,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_ENDPOINT_URL_IAM":        ts.URL(),
		"CODE_COMMIT_SSH_ENDPOINT":    ts.SSHHost(),
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if want[k] != v {
			t.Errorf("%s=%s, want %s", k, v, want[k])
		}
		delete(want, k)
	}
	if len(want) > 0 {
		t.Errorf("missing %v", want)
	}

	// The SDK's own config loader resolves the "role" profile through our STS.
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile("role"))
	if err != nil {
		t.Fatal(err)
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(aws.ToString(id.Arn), "arn:aws:sts::111122223333:assumed-role/demo-role/") {
		t.Errorf("role profile identity %s", aws.ToString(id.Arn))
	}
	if ts.STSCalls()["AssumeRole"] != 1 {
		t.Errorf("STSCalls %v", ts.STSCalls())
	}

	// Serve prints exports and the key id, never the secret.
	sctx, cancel := context.WithCancel(context.Background())
	pr, pw, _ := os.Pipe()
	done := make(chan error, 1)
	root := t.TempDir()
	go func() { done <- Serve(sctx, Config{Dir: filepath.Join(root, "repos")}, pw) }()
	buf := make([]byte, 8192)
	var out strings.Builder
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "access key id") && time.Now().Before(deadline) {
		pr.SetReadDeadline(deadline)
		n, err := pr.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			break
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	pw.Close()
	s := out.String()
	if !strings.Contains(s, "export CODE_COMMIT_ENDPOINT=127.0.0.1:") || !strings.Contains(s, "export AWS_SHARED_CREDENTIALS_FILE=") {
		t.Errorf("serve output:\n%s", s)
	}
	creds, err := os.ReadFile(filepath.Join(root, "repos.codecommit-local", "aws", "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(creds), "\n") {
		if k, v, ok := strings.Cut(line, " = "); ok && k == "aws_secret_access_key" && strings.Contains(s, v) {
			t.Error("serve printed the secret")
		}
	}
}
