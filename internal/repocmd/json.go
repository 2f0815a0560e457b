package repocmd

import (
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds/repoapi"
)

// The --json outputs of the repository commands. Each has "version", its
// schema version (1); fields are only ever added to a schema, never renamed
// or removed.

// ListJSON is `list --json`.
type ListJSON struct {
	Version      int        `json:"version"`
	Profile      string     `json:"profile"`
	Region       string     `json:"region"`
	Repositories []RepoJSON `json:"repositories"`
}

// RepoJSON is one repository of ListJSON.
type RepoJSON struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

// InfoJSON is `info --json` and `create --json`.
type InfoJSON struct {
	Version       int        `json:"version"`
	Name          string     `json:"name"`
	Description   string     `json:"description"`
	ARN           string     `json:"arn"`
	ID            string     `json:"id"`
	Account       string     `json:"account"`
	Region        string     `json:"region"`
	DefaultBranch string     `json:"default_branch"` // "" for an empty repository
	CloneURLs     CloneURLs  `json:"clone_urls"`
	Created       *time.Time `json:"created,omitempty"`
	Modified      *time.Time `json:"modified,omitempty"`
	Remote        string     `json:"remote,omitempty"` // create --remote: the remote added
}

// CloneURLs are a repository's clone URLs in each form.
type CloneURLs struct {
	HTTPS      string `json:"https"`
	Codecommit string `json:"codecommit"`
	SSH        string `json:"ssh"`
}

func infoJSON(r repoapi.Repository, grc string) InfoJSON {
	j := InfoJSON{Version: 1, Name: r.Name, Description: r.Description, ARN: r.ARN, ID: r.ID, Account: r.Account, Region: r.Region(),
		DefaultBranch: r.DefaultBranch, CloneURLs: CloneURLs{HTTPS: r.CloneURLHTTP, Codecommit: grc, SSH: r.CloneURLSSH}}
	if !r.Created.IsZero() {
		t := r.Created.UTC()
		j.Created = &t
	}
	if !r.Modified.IsZero() {
		t := r.Modified.UTC()
		j.Modified = &t
	}
	return j
}
