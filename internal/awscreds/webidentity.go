package awscreds

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/safefile"
)

// webIdentityProvider assumes roleARN with the token in tokenFile through
// the cache shared with the AWS CLI, as the AWS CLI does: the key is the
// role ARN and the role_session_name when one is configured (botocore drops
// a generated session name from the key), the file the same
// ~/.aws/cli/cache/SHA1.json as for other roles, reused while more than 15
// minutes remain.
func (o Options) webIdentityProvider(r *Result, profile, roleARN, tokenFile, sessionName string) aws.CredentialsProvider {
	key := credcache.Key{RoleARN: roleARN, RoleSessionName: sessionName}
	fetch := func(ctx context.Context) (credcache.Credentials, error) {
		tok, err := safefile.Read(tokenFile, safefile.MaxSize)
		if err != nil {
			return credcache.Credentials{}, &CredentialError{Profile: profile, Source: "web identity token file", Message: err.Error(), Err: err}
		}
		name := sessionName
		if name == "" {
			name = fmt.Sprintf("git-codecommit-%d", o.now().UnixNano())
		}
		cfg, err := r.config(ctx)
		if err != nil {
			return credcache.Credentials{}, err
		}
		client := sts.NewFromConfig(cfg, func(so *sts.Options) {
			so.Credentials = aws.AnonymousCredentials{}
			so.Region = stsRegion(r.Region)
		})
		o.Trace.Printf("sts AssumeRoleWithWebIdentity %s (session %s)", roleARN, name)
		out, err := client.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String(roleARN), RoleSessionName: aws.String(name), WebIdentityToken: aws.String(string(tok)),
		})
		if err != nil {
			if ctx.Err() != nil {
				return credcache.Credentials{}, ctx.Err()
			}
			code, msg := codeAndMessage(err)
			return credcache.Credentials{}, &CredentialError{Profile: profile, Source: "web identity, role " + roleARN, Code: code, Message: msg, Err: err}
		}
		c := credcache.Credentials{
			AccessKeyID:     aws.ToString(out.Credentials.AccessKeyId),
			SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey),
			SessionToken:    aws.ToString(out.Credentials.SessionToken),
			Expiration:      aws.ToTime(out.Credentials.Expiration),
		}
		if u := out.AssumedRoleUser; u != nil {
			c.AssumedRoleID, c.AssumedRoleARN = aws.ToString(u.AssumedRoleId), aws.ToString(u.Arn)
			if parts := strings.Split(c.AssumedRoleARN, ":"); len(parts) > 4 {
				c.AccountID = parts[4]
			}
		}
		return c, nil
	}
	return aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		var c credcache.Credentials
		var hit bool
		var err error
		if o.Cache != nil {
			c, hit, err = o.Cache.GetOrFetch(ctx, key, fetch)
		} else {
			c, err = fetch(ctx)
		}
		if err != nil {
			return aws.Credentials{}, err
		}
		source := "AssumeRoleWithWebIdentity"
		if hit {
			source += " (cached " + key.FileName() + ")"
		}
		o.Trace.Printf("role %s: %s", roleARN, source)
		return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, CanExpire: true, Expires: c.Expiration, Source: source}, nil
	})
}
