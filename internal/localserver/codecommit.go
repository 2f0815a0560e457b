package localserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

const codeCommitTargetPrefix = "CodeCommit_20150413."

type repositoryMetadata struct {
	AccountID             string  `json:"accountId"`
	RepositoryID          string  `json:"repositoryId"`
	RepositoryName        string  `json:"repositoryName"`
	RepositoryDescription string  `json:"repositoryDescription,omitempty"`
	DefaultBranch         string  `json:"defaultBranch,omitempty"`
	LastModifiedDate      float64 `json:"lastModifiedDate"`
	CreationDate          float64 `json:"creationDate"`
	CloneURLHTTP          string  `json:"cloneUrlHttp"`
	CloneURLSSH           string  `json:"cloneUrlSsh"`
	Arn                   string  `json:"Arn"`
}

func ccError(status int, typ, msg string) *apiError {
	return &apiError{status: status, code: typ, json: typ, message: msg}
}

func (s *Server) serveCodeCommit(w http.ResponseWriter, r *http.Request, body []byte, target string, info *reqInfo) {
	op, ok := strings.CutPrefix(target, codeCommitTargetPrefix)
	info.action = op
	if !ok {
		s.jsonError(w, info, ccError(http.StatusBadRequest, "UnknownOperationException", "unknown target "+target))
		return
	}
	c, aerr := s.authAPI(r, body, "codecommit", info)
	if aerr != nil {
		s.jsonError(w, info, aerr)
		return
	}
	var in struct {
		RepositoryName        *string `json:"repositoryName"`
		RepositoryDescription string  `json:"repositoryDescription"`
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			s.jsonError(w, info, ccError(http.StatusBadRequest, "SerializationException", "request body is not valid JSON"))
			return
		}
	}
	name := ""
	if in.RepositoryName != nil {
		name = *in.RepositoryName
	}
	needName := func() *apiError {
		if name == "" {
			return ccError(http.StatusBadRequest, "RepositoryNameRequiredException", "Repository name is required")
		}
		if !validRepoName(name) {
			return ccError(http.StatusBadRequest, "InvalidRepositoryNameException", "The repository name is not valid. Repository names can be any valid combination of letters, numbers, periods, underscores, and dashes between 1 and 100 characters in length.")
		}
		return nil
	}
	var out any
	switch op {
	case "CreateRepository":
		if aerr = needName(); aerr != nil {
			break
		}
		if len(in.RepositoryDescription) > 1000 {
			aerr = ccError(http.StatusBadRequest, "InvalidRepositoryDescriptionException", "Repository description must be at most 1000 characters")
			break
		}
		if _, err := s.createRepo(c.region, name, in.RepositoryDescription); err != nil {
			if errors.Is(err, errRepoExists) {
				aerr = ccError(http.StatusBadRequest, "RepositoryNameExistsException", "Repository named "+name+" already exists")
			} else {
				aerr = ccError(http.StatusInternalServerError, "InternalFailure", err.Error())
			}
			break
		}
		out = map[string]any{"repositoryMetadata": s.metadata(c.region, name)}
	case "GetRepository":
		if aerr = needName(); aerr != nil {
			break
		}
		// One endpoint serves every region here, so a repository of
		// another region is found and answered with its own ARN: the
		// caller sees the region mismatch (CodeCommit would say it does
		// not exist).
		region := c.region
		if !s.repoExists(region, name) {
			if region = s.regionOf(name, c.region); region == "" {
				aerr = ccError(http.StatusBadRequest, "RepositoryDoesNotExistException", name+" does not exist")
				break
			}
		}
		out = map[string]any{"repositoryMetadata": s.metadata(region, name)}
	case "ListRepositories":
		type entry struct {
			RepositoryName string `json:"repositoryName"`
			RepositoryID   string `json:"repositoryId"`
		}
		list := []entry{}
		for _, n := range s.listRepos(c.region) {
			list = append(list, entry{n, s.loadMeta(c.region, n).ID})
		}
		out = map[string]any{"repositories": list}
	case "DeleteRepository":
		if aerr = needName(); aerr != nil {
			break
		}
		id, err := s.deleteRepo(c.region, name)
		switch {
		case errors.Is(err, errRepoNotFound):
			out = map[string]any{} // as CodeCommit: no repositoryId
		case err != nil:
			aerr = ccError(http.StatusInternalServerError, "InternalFailure", err.Error())
		default:
			out = map[string]any{"repositoryId": id}
		}
	default:
		aerr = ccError(http.StatusBadRequest, "UnknownOperationException", "operation "+op+" is not supported by this server")
	}
	if aerr != nil {
		s.jsonError(w, info, aerr)
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		s.jsonError(w, info, ccError(http.StatusInternalServerError, "InternalFailure", err.Error()))
		return
	}
	reqID := newUUID()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", reqID)
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func (s *Server) metadata(region, name string) repositoryMetadata {
	m := s.loadMeta(region, name)
	account := s.repoAccount(name)
	md := repositoryMetadata{
		AccountID:             account,
		RepositoryID:          m.ID,
		RepositoryName:        name,
		RepositoryDescription: m.Description,
		CreationDate:          float64(m.Created.UnixMilli()) / 1000,
		LastModifiedDate:      float64(m.Modified.UnixMilli()) / 1000,
		CloneURLHTTP:          "https://" + s.host + repoPrefix + name,
		CloneURLSSH:           "ssh://" + s.SSHHost() + repoPrefix + name,
		Arn:                   fmt.Sprintf("arn:aws:codecommit:%s:%s:%s", region, account, name),
	}
	if b, ok := s.headBranch(region, name); ok {
		md.DefaultBranch = b
	}
	return md
}

func (s *Server) jsonError(w http.ResponseWriter, info *reqInfo, e *apiError) {
	typ := e.json
	if typ == "" {
		typ = e.code
	}
	info.reason = typ + ": " + e.message
	b, _ := json.Marshal(map[string]string{"__type": typ, "message": e.message})
	reqID := newUUID()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", reqID)
	w.Header().Set("X-Amzn-Errortype", typ)
	w.WriteHeader(e.status)
	w.Write(b)
}
