package awscreds

import (
	"context"
	"fmt"

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
		return stsCredentials(out.Credentials, out.AssumedRoleUser), nil
	}
	return o.cachedRole(key, fetch, "AssumeRoleWithWebIdentity", roleARN)
}
