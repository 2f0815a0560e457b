// Package repoapi is CodeCommit's repository API for git-codecommit's
// commands: get, create, list and delete, with the credentials and error
// mapping of awscreds. It is its own concept, apart from credential
// resolution: the helpers, even run inside git-codecommit, never call it.
package repoapi

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	cctypes "github.com/aws/aws-sdk-go-v2/service/codecommit/types"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
)

// Repository is a CodeCommit repository's metadata.
type Repository struct {
	Name, ID, ARN, Account    string
	Description               string
	DefaultBranch             string // "" for an empty repository
	CloneURLHTTP, CloneURLSSH string
	Created, Modified         time.Time
}

// Region returns the region in the repository's ARN
// (arn:PARTITION:codecommit:REGION:ACCOUNT:NAME), or "".
func (r Repository) Region() string {
	f := strings.SplitN(r.ARN, ":", 6)
	if len(f) < 6 {
		return ""
	}
	return f[3]
}

// RepositorySummary is one entry of List.
type RepositorySummary struct {
	Name, ID string
}

func client(ctx context.Context, r *awscreds.Result) (*codecommit.Client, error) {
	cfg, err := r.SDKConfig(ctx)
	if err != nil {
		return nil, err
	}
	return codecommit.NewFromConfig(cfg), nil
}

// Get returns the metadata of repository name.
func Get(ctx context.Context, r *awscreds.Result, name string) (Repository, error) {
	cc, err := client(ctx, r)
	if err != nil {
		return Repository{}, err
	}
	out, err := cc.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String(name)})
	if err != nil {
		return Repository{}, r.APIError(ctx, "codecommit:GetRepository", name, err)
	}
	return repository(out.RepositoryMetadata), nil
}

// FindElsewhere looks for repository name in each of regions (the other
// regions of the signing region's partition), all at once, and returns the
// first it finds. A region that fails for any reason (not found, not
// enabled for the account, denied) is passed over: it is a hint for a
// diagnosis, never an answer in itself. ok is false when none has it.
func FindElsewhere(ctx context.Context, r *awscreds.Result, name string, regions []string) (repo Repository, ok bool) {
	cfg, err := r.SDKConfig(ctx)
	if err != nil || len(regions) == 0 {
		return Repository{}, false
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	found := make(chan Repository, len(regions))
	for _, region := range regions {
		go func() {
			cc := codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.Region = region })
			out, err := cc.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String(name)})
			if err != nil {
				found <- Repository{}
				return
			}
			found <- repository(out.RepositoryMetadata)
		}()
	}
	for range regions {
		if rp := <-found; rp.ARN != "" {
			return rp, true
		}
	}
	return Repository{}, false
}

// Create creates repository name with an optional description.
func Create(ctx context.Context, r *awscreds.Result, name, description string) (Repository, error) {
	in := &codecommit.CreateRepositoryInput{RepositoryName: aws.String(name)}
	if description != "" {
		in.RepositoryDescription = aws.String(description)
	}
	cc, err := client(ctx, r)
	if err != nil {
		return Repository{}, err
	}
	out, err := cc.CreateRepository(ctx, in)
	if err != nil {
		return Repository{}, r.APIError(ctx, "codecommit:CreateRepository", name, err)
	}
	return repository(out.RepositoryMetadata), nil
}

// List returns every repository of the region, sorted by name.
func List(ctx context.Context, r *awscreds.Result) ([]RepositorySummary, error) {
	cc, err := client(ctx, r)
	if err != nil {
		return nil, err
	}
	var list []RepositorySummary
	pages := codecommit.NewListRepositoriesPaginator(cc, &codecommit.ListRepositoriesInput{})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, r.APIError(ctx, "codecommit:ListRepositories", "", err)
		}
		for _, e := range out.Repositories {
			list = append(list, RepositorySummary{Name: aws.ToString(e.RepositoryName), ID: aws.ToString(e.RepositoryId)})
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list, nil
}

// Delete deletes repository name and returns its id. CodeCommit
// answers success without an id for a repository that does not exist; that
// is reported as a RepositoryDoesNotExistError.
func Delete(ctx context.Context, r *awscreds.Result, name string) (string, error) {
	cc, err := client(ctx, r)
	if err != nil {
		return "", err
	}
	out, err := cc.DeleteRepository(ctx, &codecommit.DeleteRepositoryInput{RepositoryName: aws.String(name)})
	if err != nil {
		return "", r.APIError(ctx, "codecommit:DeleteRepository", name, err)
	}
	if aws.ToString(out.RepositoryId) == "" {
		return "", &awscreds.RepositoryDoesNotExistError{Name: name, Region: r.Region}
	}
	return aws.ToString(out.RepositoryId), nil
}

func repository(m *cctypes.RepositoryMetadata) Repository {
	if m == nil {
		return Repository{}
	}
	return Repository{
		Name:          aws.ToString(m.RepositoryName),
		ID:            aws.ToString(m.RepositoryId),
		ARN:           aws.ToString(m.Arn),
		Account:       aws.ToString(m.AccountId),
		Description:   aws.ToString(m.RepositoryDescription),
		DefaultBranch: aws.ToString(m.DefaultBranch),
		CloneURLHTTP:  aws.ToString(m.CloneUrlHttp),
		CloneURLSSH:   aws.ToString(m.CloneUrlSsh),
		Created:       aws.ToTime(m.CreationDate),
		Modified:      aws.ToTime(m.LastModifiedDate),
	}
}
