package awscreds

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/credential"
)

// maxChain bounds source_profile chains, as the SDK does.
const maxChain = 16

// roleProvider returns the credentials provider of a role profile with a
// source_profile: AssumeRole on the source's credentials, through the
// CLI-compatible cache. Unlike the SDK's provider it sends DurationSeconds
// only when duration_seconds is configured, so entries last as long as the
// CLI's, and it asks for an MFA code only on a cache miss.
func (o Options) roleProvider(ctx context.Context, r *Result, sc config.SharedConfig, depth int) (aws.CredentialsProvider, error) {
	if depth > maxChain {
		return nil, &CredentialError{Profile: sc.Profile, Source: "assume role " + sc.RoleARN, Message: "source_profile chain is too long or circular"}
	}
	src, err := o.sourceProvider(ctx, r, sc, depth)
	if err != nil {
		return nil, err
	}
	key, err := roleKey(sc)
	if err != nil {
		return nil, err
	}
	region := r.Region
	if sc.Region != "" {
		region = sc.Region
	}
	region = stsRegion(region)
	profile := sc.Profile
	fetch := func(ctx context.Context) (credcache.Credentials, error) {
		// The source credentials once, before STS: the STS client retries,
		// and would fetch them again on every attempt (a hanging metadata
		// service cost seconds that way).
		sc0, err := src.Retrieve(ctx)
		if err != nil {
			return credcache.Credentials{}, err
		}
		srcOnce := credentials.StaticCredentialsProvider{Value: sc0}
		in := &sts.AssumeRoleInput{RoleArn: aws.String(sc.RoleARN)}
		name := sc.RoleSessionName
		if name == "" {
			name = fmt.Sprintf("git-codecommit-%d", o.now().UnixNano())
		}
		in.RoleSessionName = aws.String(name)
		if sc.ExternalID != "" {
			in.ExternalId = aws.String(sc.ExternalID)
		}
		if key.DurationSeconds > 0 {
			in.DurationSeconds = aws.Int32(int32(key.DurationSeconds))
		}
		if sc.MFASerial != "" {
			code, err := o.mfaCode(ctx, sc.MFASerial, profile)
			if err != nil {
				return credcache.Credentials{}, err
			}
			in.SerialNumber, in.TokenCode = aws.String(sc.MFASerial), aws.String(code)
		}
		o.Trace.Printf("sts AssumeRole %s (session %s, duration %s, mfa %v)", sc.RoleARN, name, durationText(key.DurationSeconds), sc.MFASerial != "")
		cfg, err := r.config(ctx)
		if err != nil {
			return credcache.Credentials{}, err
		}
		client := sts.NewFromConfig(cfg, func(so *sts.Options) {
			so.Credentials = srcOnce
			so.Region = region
		})
		var out *sts.AssumeRoleOutput
		err = o.withBound(ctx, profile, credential.KindSTS, "AssumeRole "+sc.RoleARN, func(ctx context.Context) error {
			var err error
			out, err = client.AssumeRole(ctx, in)
			return err
		})
		if err != nil {
			var hinted interface {
				error
				Hint() string
			}
			if errors.As(err, &hinted) {
				// Ours, from the source credentials: say that, not STS's wrapping.
				return credcache.Credentials{}, hinted
			}
			code, msg := codeAndMessage(err)
			return credcache.Credentials{}, &CredentialError{Profile: profile, Source: "assume role " + sc.RoleARN, Code: code, Message: msg, MFA: sc.MFASerial != "", Err: err}
		}
		return stsCredentials(out.Credentials, out.AssumedRoleUser), nil
	}
	return o.cachedRole(key, fetch, "AssumeRole", sc.RoleARN), nil
}

// roleKey is the AWS CLI cache key of the role sc assumes, by the one rule
// the SDK-free path uses too (awsfiles.RoleKey), from the settings as the
// SDK read them.
func roleKey(sc config.SharedConfig) (credcache.Key, error) {
	sec := map[string]string{"role_arn": sc.RoleARN, "role_session_name": sc.RoleSessionName, "external_id": sc.ExternalID, "mfa_serial": sc.MFASerial}
	if sc.RoleDurationSeconds != nil {
		sec["duration_seconds"] = strconv.Itoa(int(*sc.RoleDurationSeconds / time.Second))
	}
	key, ok := awsfiles.RoleKey(sec)
	if !ok {
		return key, &CredentialError{Profile: sc.Profile, Source: "assume role " + sc.RoleARN, Message: "duration_seconds = " + sec["duration_seconds"] + " is not a positive number of seconds"}
	}
	return key, nil
}

// sourceProvider returns the credentials a role is assumed with.
func (o Options) sourceProvider(ctx context.Context, r *Result, sc config.SharedConfig, depth int) (aws.CredentialsProvider, error) {
	if sc.SourceProfileName == "" && sc.CredentialSource != "" {
		return o.credentialSource(r, sc), nil
	}
	s := sc.Source
	if s == nil {
		return nil, &CredentialError{Profile: sc.Profile, Source: "assume role " + sc.RoleARN, Message: "source_profile " + sc.SourceProfileName + " not found"}
	}
	kind := kindOf(*s, o.Env, false, true, r.Files.Credentials)
	switch {
	case sc.SourceProfileName == sc.Profile || (s.RoleARN == "" && s.Credentials.HasKeys() && kind != credential.KindProcess):
		return credentials.StaticCredentialsProvider{Value: s.Credentials}, nil
	case cachedRole(*s):
		return o.roleProvider(ctx, r, *s, depth+1)
	case kind == credential.KindProcess:
		return o.bounded(sc.SourceProfileName, kind, "", o.processProvider(sc.SourceProfileName, s.CredentialProcess)), nil
	}
	// Any other source (SSO, …) is the SDK's, loaded only when the cache
	// misses.
	return o.bounded(sc.SourceProfileName, kind, "", lazyProvider(sc.SourceProfileName, func(ctx context.Context) (aws.CredentialsProvider, error) {
		cfg, err := config.LoadDefaultConfig(ctx, r.sharedFiles2, config.WithSharedConfigProfile(sc.SourceProfileName), config.WithRegion(stsRegion(r.Region)), config.WithLogger(r.logger))
		if err != nil {
			return nil, r.loadError(err)
		}
		if cfg.Credentials == nil {
			return nil, nil
		}
		return aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
			c, err := cfg.Credentials.Retrieve(ctx)
			if err != nil && ctx.Err() == nil {
				// An expired IAM Identity Center or login token under a
				// role says what the direct profile says, with the source
				// profile's name.
				if e := sessionError(kind, sc.SourceProfileName, err); e != nil {
					return c, e
				}
			}
			return c, err
		}), nil
	})), nil
}

// credentialSource returns the credentials a credential_source role is
// assumed with (Environment, Ec2InstanceMetadata or EcsContainer), resolved
// by the SDK only on a cache miss. The SDK builds them into the client of
// its own AssumeRole provider, which is taken from there and never called:
// the role is assumed through the cache.
func (o Options) credentialSource(r *Result, sc config.SharedConfig) aws.CredentialsProvider {
	switch sc.CredentialSource {
	case "EcsContainer":
		return o.bounded(sc.Profile, credential.KindContainer, containerDetail(o.Env), o.credentialSourceSDK(r, sc))
	case "Ec2InstanceMetadata":
		return o.bounded(sc.Profile, credential.KindInstanceMetadata, "", o.credentialSourceSDK(r, sc))
	}
	return o.credentialSourceSDK(r, sc)
}

// credentialSourceSDK is credentialSource without its bound.
func (o Options) credentialSourceSDK(r *Result, sc config.SharedConfig) aws.CredentialsProvider {
	return lazyProvider(sc.Profile, func(ctx context.Context) (aws.CredentialsProvider, error) {
		var client *sts.Client
		opts := append(r.loadOpts[:len(r.loadOpts):len(r.loadOpts)],
			config.WithSharedConfigProfile(sc.Profile),
			config.WithAssumeRoleCredentialOptions(func(ao *stscreds.AssumeRoleOptions) {
				if c, ok := ao.Client.(*sts.Client); ok {
					client = c
				}
				ao.TokenProvider = func() (string, error) { return "", errors.New("unused") }
			}))
		if _, err := config.LoadDefaultConfig(ctx, opts...); err != nil {
			return nil, r.loadError(err)
		}
		if client == nil {
			return nil, nil
		}
		src := client.Options().Credentials
		return aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
			c, err := src.Retrieve(ctx)
			if err != nil && ctx.Err() == nil {
				code, msg := codeAndMessage(err)
				return c, &CredentialError{Profile: sc.Profile, Source: "credential_source " + sc.CredentialSource, Code: code, Message: msg, Err: err}
			}
			return c, err
		}), nil
	})
}

// lazyProvider returns the provider load gives, loaded once and only when
// credentials are first asked for; a nil provider means profile has none.
func lazyProvider(profile string, load func(context.Context) (aws.CredentialsProvider, error)) aws.CredentialsProvider {
	var once sync.Once
	var p aws.CredentialsProvider
	var loadErr error
	return aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		once.Do(func() { p, loadErr = load(ctx) })
		if loadErr != nil {
			return aws.Credentials{}, loadErr
		}
		if p == nil {
			return aws.Credentials{}, &NoCredentialsError{Profile: profile}
		}
		return p.Retrieve(ctx)
	})
}

// stsRegion is the region STS is called in: the profile's, else us-east-1.
func stsRegion(region string) string {
	if region == "" {
		return "us-east-1"
	}
	return region
}

func durationText(s int) string {
	if s == 0 {
		return "STS default"
	}
	return (time.Duration(s) * time.Second).String()
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// stsCredentials are the credentials an STS AssumeRole* call returned, as
// the shared cache keeps them (the account from the assumed role's ARN).
func stsCredentials(sc *ststypes.Credentials, u *ststypes.AssumedRoleUser) credcache.Credentials {
	c := credcache.Credentials{
		AccessKeyID:     aws.ToString(sc.AccessKeyId),
		SecretAccessKey: aws.ToString(sc.SecretAccessKey),
		SessionToken:    aws.ToString(sc.SessionToken),
		Expiration:      aws.ToTime(sc.Expiration),
	}
	if u != nil {
		c.AssumedRoleID, c.AssumedRoleARN = aws.ToString(u.AssumedRoleId), aws.ToString(u.Arn)
		if parts := strings.Split(c.AssumedRoleARN, ":"); len(parts) > 4 {
			c.AccountID = parts[4]
		}
	}
	return c
}

// cachedRole is the provider of a role's credentials through the cache
// shared with the AWS CLI (fetch runs on a miss; no cache: every time),
// tracing which STS action gave them and whether the cache did.
func (o Options) cachedRole(key credcache.Key, fetch func(context.Context) (credcache.Credentials, error), action, roleARN string) aws.CredentialsProvider {
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
		source := action
		if hit {
			source += " (cached " + key.FileName() + ")"
		}
		o.Trace.Printf("role %s: %s", roleARN, source)
		return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, CanExpire: true, Expires: c.Expiration, Source: source}, nil
	})
}
