package localserver

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const stsNS = "https://sts.amazonaws.com/doc/2011-06-15/"

// maxAPIBody bounds the body of an AWS API request.
const maxAPIBody = 1 << 20

// session is a set of temporary credentials issued by the server's STS.
type session struct {
	secret  string
	token   string
	expires time.Time
	arn     string // caller ARN (assumed-role ARN, or the user's ARN for GetSessionToken)
	userID  string
	account string
	serial  uint64 // n-th credentials issued
}

// serveAPI handles POST / (and GET / with a query): the CodeCommit JSON
// API when X-Amz-Target is set, STS otherwise.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, info *reqInfo) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		info.reason = "method not allowed"
		plainError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxAPIBody+1))
	if err != nil || len(body) > maxAPIBody {
		info.reason = "request body unreadable or too large"
		plainError(w, http.StatusBadRequest, "bad request: "+info.reason)
		return
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		s.serveCodeCommit(w, r, body, target, info)
		return
	}
	if isIAMRequest(r, body) {
		s.serveIAM(w, r, body, info)
		return
	}
	if r.Method == http.MethodGet && r.URL.RawQuery == "" {
		info.reason = "no action"
		plainError(w, http.StatusOK, "git-codecommit local endpoint: git at /v1/repos/NAME, STS and CodeCommit APIs at POST /")
		return
	}
	s.serveSTS(w, r, body, info)
}

func (s *Server) serveSTS(w http.ResponseWriter, r *http.Request, body []byte, info *reqInfo) {
	form, err := url.ParseQuery(string(body))
	if err != nil || r.Method == http.MethodGet {
		form = url.Values{}
		if r.Method == http.MethodPost && err != nil {
			queryError(w, info, stsNS, &apiError{http.StatusBadRequest, "MalformedInput", "", "request body is not form-encoded"})
			return
		}
	}
	for k, v := range r.URL.Query() {
		if _, ok := form[k]; !ok {
			form[k] = v
		}
	}
	action := form.Get("Action")
	info.action = action
	// Count known actions by name, the rest together: a request must not
	// make the server keep what it sent.
	counted := action
	switch action {
	case "GetCallerIdentity", "AssumeRole", "GetSessionToken", "AssumeRoleWithWebIdentity", "":
	default:
		counted = "(other)"
	}
	s.mu.Lock()
	s.stsCalls[counted]++
	s.mu.Unlock()
	if action == "" {
		queryError(w, info, stsNS, &apiError{http.StatusBadRequest, "MissingAction", "", "Missing Action"})
		return
	}
	if v := form.Get("Version"); v != "" && v != "2011-06-15" {
		queryError(w, info, stsNS, &apiError{http.StatusBadRequest, "InvalidAction", "", "Could not find operation " + action + " for version " + v})
		return
	}
	var result any
	var aerr *apiError
	if action == "AssumeRoleWithWebIdentity" {
		result, aerr = s.stsAssumeRoleWithWebIdentity(form)
	} else {
		c, e := s.authAPI(r, body, "sts", info)
		if e != nil {
			queryError(w, info, stsNS, e)
			return
		}
		switch action {
		case "GetCallerIdentity":
			result, aerr = s.stsGetCallerIdentity(c)
		case "AssumeRole":
			result, aerr = s.stsAssumeRole(c, form)
		case "GetSessionToken":
			result, aerr = s.stsGetSessionToken(c, form)
		default:
			aerr = &apiError{http.StatusBadRequest, "InvalidAction", "", "Could not find operation " + action + " for version 2011-06-15"}
		}
	}
	if aerr != nil {
		queryError(w, info, stsNS, aerr)
		return
	}
	out, err := xml.MarshalIndent(result, "", "  ")
	if err != nil {
		queryError(w, info, stsNS, &apiError{http.StatusInternalServerError, "InternalFailure", "", err.Error()})
		return
	}
	queryResult(w, stsNS, action, "<"+action+"Result>\n"+string(out)+"\n</"+action+"Result>\n")
}

type xmlCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

type xmlAssumedRoleUser struct {
	Arn           string `xml:"Arn"`
	AssumedRoleID string `xml:"AssumedRoleId"`
}

func (s *Server) stsGetCallerIdentity(c *caller) (any, *apiError) {
	userID := ""
	if u, ok := s.byKey[c.key]; ok {
		userID = "AIDA" + idFromString(u.ARN)
	} else {
		s.mu.Lock()
		if ss := s.sessions[c.key]; ss != nil {
			userID = ss.userID
		}
		s.mu.Unlock()
	}
	return fragment{
		elem("Arn", c.arn),
		elem("UserId", userID),
		elem("Account", c.account),
	}, nil
}

var (
	roleARNRe     = regexp.MustCompile(`^arn:aws:iam::(\d{12}):role/((?:[\w+=,.@-]+/)*)([\w+=,.@-]{1,64})$`)
	sessionNameRe = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	externalIDRe  = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
)

func (s *Server) stsAssumeRole(c *caller, form url.Values) (any, *apiError) {
	roleARN := form.Get("RoleArn")
	sessName := form.Get("RoleSessionName")
	if roleARN == "" {
		return nil, errValidation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
	}
	if sessName == "" {
		return nil, errValidation("1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null")
	}
	if !sessionNameRe.MatchString(sessName) {
		return nil, errValidation(fmt.Sprintf("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", sessName))
	}
	m := roleARNRe.FindStringSubmatch(roleARN)
	notAuthorized := errAccessDenied(fmt.Sprintf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.arn, roleARN))
	if m == nil {
		if len(roleARN) < 20 {
			return nil, errValidation(fmt.Sprintf("1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20", roleARN))
		}
		return nil, notAuthorized
	}
	if len(s.cfg.Roles) > 0 && !contains(s.cfg.Roles, roleARN) {
		return nil, notAuthorized
	}
	dur, aerr := s.duration(form, 900, 43200)
	if aerr != nil {
		return nil, aerr
	}
	serial := form.Get("SerialNumber")
	if serial == "" && contains(s.cfg.MFARoles, roleARN) {
		return nil, notAuthorized
	}
	if serial != "" {
		if aerr := s.checkMFA(c, serial, form.Get("TokenCode")); aerr != nil {
			return nil, aerr
		}
	}
	if ext := form.Get("ExternalId"); ext != "" && (len(ext) < 2 || len(ext) > 1224 || !externalIDRe.MatchString(ext)) {
		return nil, errValidation("1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*")
	}
	creds, user := s.assumeRole(m, roleARN, sessName, dur)
	return fragment{creds, user, elem("PackedPolicySize", "0")}, nil
}

func (s *Server) stsGetSessionToken(c *caller, form url.Values) (any, *apiError) {
	u, ok := s.byKey[c.key]
	if !ok {
		return nil, errAccessDenied("Cannot call GetSessionToken with session credentials")
	}
	dur, aerr := s.duration(form, 900, 129600)
	if aerr != nil {
		return nil, aerr
	}
	if serial := form.Get("SerialNumber"); serial != "" {
		if aerr := s.checkMFA(c, serial, form.Get("TokenCode")); aerr != nil {
			return nil, aerr
		}
	}
	creds := s.issue(u.ARN, "AIDA"+idFromString(u.ARN), u.Account, dur)
	return fragment{creds}, nil
}

func (s *Server) stsAssumeRoleWithWebIdentity(form url.Values) (any, *apiError) {
	roleARN := form.Get("RoleArn")
	sessName := form.Get("RoleSessionName")
	token := form.Get("WebIdentityToken")
	if roleARN == "" || sessName == "" || token == "" {
		return nil, errValidation("RoleArn, RoleSessionName and WebIdentityToken are required")
	}
	if !sessionNameRe.MatchString(sessName) {
		return nil, errValidation(fmt.Sprintf("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", sessName))
	}
	if !contains(s.cfg.WebIdentityTokens, token) {
		return nil, &apiError{http.StatusBadRequest, "InvalidIdentityToken", "", "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request."}
	}
	m := roleARNRe.FindStringSubmatch(roleARN)
	if m == nil || len(s.cfg.Roles) > 0 && !contains(s.cfg.Roles, roleARN) {
		return nil, errAccessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity")
	}
	dur, aerr := s.duration(form, 900, 43200)
	if aerr != nil {
		return nil, aerr
	}
	creds, user := s.assumeRole(m, roleARN, sessName, dur)
	return fragment{
		creds,
		elem("SubjectFromWebIdentityToken", "localserver-subject"),
		user,
		elem("PackedPolicySize", "0"),
		elem("Provider", "localserver"),
		elem("Audience", "sts.amazonaws.com"),
	}, nil
}

// duration returns DurationSeconds (bounded) or the configured lifetime.
func (s *Server) duration(form url.Values, min, max int) (time.Duration, *apiError) {
	v := form.Get("DurationSeconds")
	if v == "" {
		return s.cfg.CredentialLifetime, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errValidation(fmt.Sprintf("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must be a number", v))
	}
	if n < min {
		return 0, errValidation(fmt.Sprintf("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to %d", n, min))
	}
	if n > max {
		return 0, errValidation(fmt.Sprintf("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to %d", n, max))
	}
	return time.Duration(n) * time.Second, nil
}

func (s *Server) checkMFA(c *caller, serial, code string) *apiError {
	if u, ok := s.byKey[c.key]; ok && u.MFASerial != "" && u.MFASerial != serial {
		return errAccessDenied("MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.")
	}
	if code == "" {
		return errAccessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code. ")
	}
	if !s.checkMFACode(code, s.now()) {
		return errAccessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code. ")
	}
	return nil
}

// issue makes and records temporary credentials.
// assumeRole issues credentials for session sessName of the role roleARN,
// whose roleARNRe match is m.
func (s *Server) assumeRole(m []string, roleARN, sessName string, dur time.Duration) (*xmlCredentials, *xmlAssumedRoleUser) {
	account, roleName := m[1], m[3]
	roleID := "AROA" + idFromString(roleARN) + ":" + sessName
	arn := "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessName
	return s.issue(arn, roleID, account, dur), &xmlAssumedRoleUser{Arn: arn, AssumedRoleID: roleID}
}

func (s *Server) issue(arn, userID, account string, d time.Duration) *xmlCredentials {
	tok := make([]byte, 240)
	rand.Read(tok)
	// Guarantee '/', '+' and '=' appear so encoding bugs show: std base64 of
	// these bytes ends in "=" (len not a multiple of 3) and the fixed
	// prefix carries '+' and '/'.
	token := "IQoJb3JpZ2luX2VjE+/" + base64.StdEncoding.EncodeToString(append(tok, 0xfb, 0xff))
	ss := &session{
		secret:  randomSecret(40),
		token:   token,
		expires: s.now().Add(d).UTC().Truncate(time.Second),
		arn:     arn,
		userID:  userID,
		account: account,
	}
	s.mu.Lock()
	var key string
	for {
		key = "ASIA" + randomUpperAlnum(16)
		if _, dup := s.sessions[key]; !dup && s.byKey[key] == nil {
			break
		}
	}
	ss.serial = s.issued.Add(1)
	s.sessions[key] = ss
	s.tokens[token] = key
	s.mu.Unlock()
	s.saveState()
	return &xmlCredentials{
		AccessKeyID:     key,
		SecretAccessKey: ss.secret,
		SessionToken:    token,
		Expiration:      ss.expires.Format("2006-01-02T15:04:05Z"),
	}
}

// idFromString derives a stable 17-character upper-alnum id.
func idFromString(s string) string {
	sum := hexSHA256(s)
	var b strings.Builder
	for i := 0; i < 17; i++ {
		v, _ := strconv.ParseUint(sum[2*i:2*i+2], 16, 8)
		b.WriteByte(upperAlnum[int(v)%len(upperAlnum)])
	}
	return b.String()
}

// fragment marshals its items one after the other, without a wrapper.
type fragment []any

func (f fragment) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	for _, it := range f {
		var err error
		switch v := it.(type) {
		case *xmlCredentials:
			err = e.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: "Credentials"}})
		case *xmlAssumedRoleUser:
			err = e.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: "AssumedRoleUser"}})
		case element:
			err = e.EncodeElement(v.value, xml.StartElement{Name: xml.Name{Local: v.name}})
		default:
			err = fmt.Errorf("unexpected %T", it)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

type element struct{ name, value string }

func elem(name, value string) element { return element{name, value} }
