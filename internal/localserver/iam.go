package localserver

// The IAM query API subset CodeCommit's other two ways in need: SSH public
// keys (UploadSSHPublicKey, ListSSHPublicKeys, GetSSHPublicKey,
// UpdateSSHPublicKey, DeleteSSHPublicKey) and service-specific credentials
// (CreateServiceSpecificCredential, ListServiceSpecificCredentials,
// ResetServiceSpecificCredential, UpdateServiceSpecificCredential,
// DeleteServiceSpecificCredential), with IAM's validation, limits, errors
// and XML. Requests are POST / form-encoded, SigV4-signed for service "iam"
// (any region in the scope, as IAM is global).
//
// Behaviour chosen where IAM is not observable here: any principal of a
// user's account may manage that user's keys (no IAM policies are
// modelled); a second service-specific credential for the same user and
// service gets the user name NAME+1-at-ACCOUNT.

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

const iamNS = "https://iam.amazonaws.com/doc/2010-05-08/"

// IAM's limits.
const (
	maxSSHKeysPerUser     = 5
	maxServiceCredsPerSvc = 2
	minRSABits            = 2048
	maxSSHKeyBody         = 16384
)

// CodeCommitService is the service name of CodeCommit's Git credentials.
const CodeCommitService = "codecommit.amazonaws.com"

var iamServices = map[string]bool{CodeCommitService: true, "cassandra.amazonaws.com": true}

// iamState holds the users' SSH keys and service-specific credentials. The
// zero value is ready.
type iamState struct {
	mu      sync.Mutex
	sshKeys []*sshKey
	creds   []*serviceCred
}

// iamEntry is what SSH keys and service-specific credentials share: an
// id, the IAM user owning it, and a status (Active or Inactive).
type iamEntry struct {
	id, user, account, arn string
	status                 string
}

func (e *iamEntry) entry() *iamEntry { return e }

type sshKey struct {
	iamEntry
	pub      ssh.PublicKey
	uploaded time.Time
}

type serviceCred struct {
	iamEntry
	service, serviceUser string
	password             string
	created              time.Time
}

// iamKind is one kind of entry a user owns in IAM and the API addresses by
// id: the id parameter (and its member name in IAM's messages), whether
// UserName may be left out (then the caller's own user), IAM's message
// when the id is not the user's, and where the entries are kept.
type iamKind[T interface{ entry() *iamEntry }] struct {
	idParam, idMember string
	userOptional      bool
	notFound          string // a format with the id
	entries           func(*iamState) *[]T
}

var (
	sshKeys = &iamKind[*sshKey]{
		idParam: "SSHPublicKeyId", idMember: "sSHPublicKeyId",
		notFound: "The Public Key with id %s cannot be found.",
		entries:  func(st *iamState) *[]*sshKey { return &st.sshKeys },
	}
	serviceCreds = &iamKind[*serviceCred]{
		idParam: "ServiceSpecificCredentialId", idMember: "serviceSpecificCredentialId",
		userOptional: true,
		notFound:     "No such credential %s exists",
		entries:      func(st *iamState) *[]*serviceCred { return &st.creds },
	}
)

// act serves an action on one entry: it checks the user, the id, then the
// action's own parameters (check, may be nil), in IAM's order, and calls do
// with the user's entry id and its index, holding st.mu.
func (k *iamKind[T]) act(s *Server, c *caller, form url.Values, check func() *apiError, do func(list *[]T, e T, i int) any) (any, *apiError) {
	u, aerr := s.iamUser(c, form, !k.userOptional)
	if aerr != nil {
		return nil, aerr
	}
	id, aerr := requireParam(form, k.idParam, k.idMember)
	if aerr != nil {
		return nil, aerr
	}
	if !iamKeyIDRe.MatchString(id) {
		return nil, iamValidation(fmt.Sprintf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+", id, k.idMember))
	}
	if check != nil {
		if aerr := check(); aerr != nil {
			return nil, aerr
		}
	}
	st := &s.iam
	st.mu.Lock()
	defer st.mu.Unlock()
	list := k.entries(st)
	for i, e := range *list {
		if en := e.entry(); en.id == id && en.arn == u.ARN {
			return do(list, e, i), nil
		}
	}
	return nil, iamNoSuchEntity(fmt.Sprintf(k.notFound, id))
}

// update serves Update*: it sets the entry's status.
func (k *iamKind[T]) update(s *Server, c *caller, form url.Values) (any, *apiError) {
	var status string
	return k.act(s, c, form, func() *apiError {
		var aerr *apiError
		if status, aerr = requireParam(form, "Status", "status"); aerr != nil {
			return aerr
		}
		return validStatus(status)
	}, func(_ *[]T, e T, _ int) any {
		e.entry().status = status
		return nil
	})
}

// delete serves Delete*: it removes the entry.
func (k *iamKind[T]) delete(s *Server, c *caller, form url.Values) (any, *apiError) {
	return k.act(s, c, form, nil, func(list *[]T, _ T, i int) any {
		*list = append((*list)[:i], (*list)[i+1:]...)
		return nil
	})
}

var (
	iamUserNameRe = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	iamKeyIDRe    = regexp.MustCompile(`^[\w]{20,128}$`)
)

// iamActions are the IAM actions served, by name.
var iamActions = map[string]func(*Server, *caller, url.Values) (any, *apiError){
	"UploadSSHPublicKey":              (*Server).iamUploadSSHPublicKey,
	"ListSSHPublicKeys":               (*Server).iamListSSHPublicKeys,
	"GetSSHPublicKey":                 (*Server).iamGetSSHPublicKey,
	"UpdateSSHPublicKey":              sshKeys.update,
	"DeleteSSHPublicKey":              sshKeys.delete,
	"CreateServiceSpecificCredential": (*Server).iamCreateServiceSpecificCredential,
	"ListServiceSpecificCredentials":  (*Server).iamListServiceSpecificCredentials,
	"ResetServiceSpecificCredential":  (*Server).iamResetServiceSpecificCredential,
	"UpdateServiceSpecificCredential": serviceCreds.update,
	"DeleteServiceSpecificCredential": serviceCreds.delete,
}

// isIAMRequest reports whether an API request addresses IAM: it names one
// of IAM's actions served here, or IAM's API version.
func isIAMRequest(r *http.Request, body []byte) bool {
	form, _ := url.ParseQuery(string(body))
	return iamActions[form.Get("Action")] != nil || form.Get("Version") == "2010-05-08" || r.URL.Query().Get("Version") == "2010-05-08"
}

func iamErr(status int, code, msg string) *apiError {
	return &apiError{status: status, code: code, message: msg}
}

func iamValidation(msg string) *apiError {
	return iamErr(http.StatusBadRequest, "ValidationError", msg)
}

func iamNoSuchEntity(msg string) *apiError { return iamErr(http.StatusNotFound, "NoSuchEntity", msg) }

func (s *Server) serveIAM(w http.ResponseWriter, r *http.Request, body []byte, info *reqInfo) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		queryError(w, info, iamNS, iamErr(http.StatusBadRequest, "MalformedInput", "request body is not form-encoded"))
		return
	}
	action := form.Get("Action")
	info.action = action
	c, aerr := s.authAPI(r, body, "iam", info)
	if aerr != nil {
		queryError(w, info, iamNS, aerr)
		return
	}
	var result any
	switch act := iamActions[action]; {
	case act != nil:
		result, aerr = act(s, c, form)
	case action == "":
		aerr = iamErr(http.StatusBadRequest, "MissingAction", "Missing Action")
	default:
		aerr = iamErr(http.StatusBadRequest, "InvalidAction", "Could not find operation "+action+" for version 2010-05-08")
	}
	if aerr != nil {
		queryError(w, info, iamNS, aerr)
		return
	}
	if !strings.HasPrefix(action, "List") && !strings.HasPrefix(action, "Get") {
		s.saveState() // SSH keys and Git credentials survive a restart
	}
	var out strings.Builder
	if result != nil {
		enc := xml.NewEncoder(&out)
		enc.Indent("", "  ")
		if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			queryError(w, info, iamNS, iamErr(http.StatusInternalServerError, "ServiceFailure", err.Error()))
			return
		}
		out.WriteString("\n")
	}
	queryResult(w, iamNS, action, out.String())
}

// iamUser resolves the UserName parameter (or, when optional and absent,
// the caller's own user) to a user of the caller's account.
func (s *Server) iamUser(c *caller, form url.Values, required bool) (*User, *apiError) {
	name := form.Get("UserName")
	if name == "" {
		if required {
			return nil, iamValidation("1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null")
		}
		for i := range s.users {
			if s.users[i].ARN == c.arn {
				return &s.users[i], nil
			}
		}
		return nil, iamValidation("Must specify userName when calling with non-User credentials")
	}
	if !iamUserNameRe.MatchString(name) {
		return nil, iamValidation(fmt.Sprintf("1 validation error detected: Value '%s' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", name))
	}
	for i := range s.users {
		u := &s.users[i]
		if u.Name == name && u.Account == c.account {
			return u, nil
		}
	}
	return nil, iamNoSuchEntity("The user with name " + name + " cannot be found.")
}

func requireParam(form url.Values, name, member string) (string, *apiError) {
	v := form.Get(name)
	if v == "" {
		return "", iamValidation("1 validation error detected: Value null at '" + member + "' failed to satisfy constraint: Member must not be null")
	}
	return v, nil
}

func validStatus(v string) *apiError {
	if v != "Active" && v != "Inactive" {
		return iamValidation(fmt.Sprintf("1 validation error detected: Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]", v))
	}
	return nil
}

// ParseIAMPublicKey parses an SSH public key body as IAM accepts it: an
// OpenSSH ssh-rsa line, or a PEM RSA public key (PKIX or PKCS#1), of at
// least 2048 bits. The error code is IAM's.
func ParseIAMPublicKey(body string) (ssh.PublicKey, *apiError) {
	body = strings.TrimSpace(body)
	if body == "" || len(body) > maxSSHKeyBody {
		return nil, iamValidation("1 validation error detected: Value at 'sSHPublicKeyBody' failed to satisfy constraint: Member must have length between 1 and 16384")
	}
	unrecognized := iamErr(http.StatusBadRequest, "UnrecognizedPublicKeyEncoding", "The public key encoding format is unsupported or unrecognized.")
	var rsaKey *rsa.PublicKey
	if strings.HasPrefix(body, "-----BEGIN") {
		blk, _ := pem.Decode([]byte(body))
		if blk == nil {
			return nil, unrecognized
		}
		switch blk.Type {
		case "PUBLIC KEY":
			k, err := x509.ParsePKIXPublicKey(blk.Bytes)
			if err != nil {
				return nil, iamErr(http.StatusBadRequest, "InvalidPublicKey", "The public key is not valid.")
			}
			rk, ok := k.(*rsa.PublicKey)
			if !ok {
				return nil, unrecognized
			}
			rsaKey = rk
		case "RSA PUBLIC KEY":
			k, err := x509.ParsePKCS1PublicKey(blk.Bytes)
			if err != nil {
				return nil, iamErr(http.StatusBadRequest, "InvalidPublicKey", "The public key is not valid.")
			}
			rsaKey = k
		default:
			return nil, unrecognized
		}
	} else {
		pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(body))
		if err != nil {
			return nil, unrecognized
		}
		if pk.Type() != ssh.KeyAlgoRSA {
			return nil, unrecognized
		}
		ck, ok := pk.(ssh.CryptoPublicKey)
		if !ok {
			return nil, unrecognized
		}
		rsaKey, _ = ck.CryptoPublicKey().(*rsa.PublicKey)
		if rsaKey == nil {
			return nil, unrecognized
		}
	}
	if rsaKey.N.BitLen() < minRSABits {
		return nil, iamErr(http.StatusBadRequest, "InvalidPublicKey", fmt.Sprintf("The public key is not valid: an RSA key must have at least %d bits, this one has %d.", minRSABits, rsaKey.N.BitLen()))
	}
	pk, err := ssh.NewPublicKey(rsaKey)
	if err != nil {
		return nil, iamErr(http.StatusBadRequest, "InvalidPublicKey", "The public key is not valid.")
	}
	return pk, nil
}

type xmlSSHKey struct {
	UserName         string `xml:"UserName"`
	SSHPublicKeyID   string `xml:"SSHPublicKeyId"`
	Fingerprint      string `xml:"Fingerprint,omitempty"`
	SSHPublicKeyBody string `xml:"SSHPublicKeyBody,omitempty"`
	Status           string `xml:"Status"`
	UploadDate       string `xml:"UploadDate"`
}

func iamTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func (k *sshKey) xml(encoding string) xmlSSHKey {
	x := xmlSSHKey{UserName: k.user, SSHPublicKeyID: k.id, Status: k.status, UploadDate: iamTime(k.uploaded)}
	if encoding != "" {
		x.Fingerprint = ssh.FingerprintLegacyMD5(k.pub)
		x.SSHPublicKeyBody = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k.pub)))
		if encoding == "PEM" {
			if ck, ok := k.pub.(ssh.CryptoPublicKey); ok {
				if der, err := x509.MarshalPKIXPublicKey(ck.CryptoPublicKey()); err == nil {
					x.SSHPublicKeyBody = string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
				}
			}
		}
	}
	return x
}

func (s *Server) iamUploadSSHPublicKey(c *caller, form url.Values) (any, *apiError) {
	u, aerr := s.iamUser(c, form, true)
	if aerr != nil {
		return nil, aerr
	}
	body, aerr := requireParam(form, "SSHPublicKeyBody", "sSHPublicKeyBody")
	if aerr != nil {
		return nil, aerr
	}
	pk, aerr := ParseIAMPublicKey(body)
	if aerr != nil {
		return nil, aerr
	}
	st := &s.iam
	st.mu.Lock()
	defer st.mu.Unlock()
	n := 0
	for _, k := range st.sshKeys {
		if k.arn != u.ARN {
			continue
		}
		n++
		if string(k.pub.Marshal()) == string(pk.Marshal()) {
			return nil, iamErr(http.StatusBadRequest, "DuplicateSSHPublicKey", "The request was rejected because the SSH public key is already associated with the specified IAM user.")
		}
	}
	if n >= maxSSHKeysPerUser {
		return nil, iamErr(http.StatusConflict, "LimitExceeded", fmt.Sprintf("Cannot exceed quota for PublicKeysPerUser: %d", maxSSHKeysPerUser))
	}
	k := &sshKey{iamEntry: iamEntry{id: "APKA" + randomUpperAlnum(16), user: u.Name, account: u.Account, arn: u.ARN, status: "Active"}, pub: pk, uploaded: s.now()}
	st.sshKeys = append(st.sshKeys, k)
	return struct {
		Key xmlSSHKey `xml:"SSHPublicKey"`
	}{k.xml("SSH")}, nil
}

func (s *Server) iamListSSHPublicKeys(c *caller, form url.Values) (any, *apiError) {
	u, aerr := s.iamUser(c, form, false)
	if aerr != nil {
		return nil, aerr
	}
	st := &s.iam
	st.mu.Lock()
	defer st.mu.Unlock()
	var members []xmlSSHKey
	for _, k := range st.sshKeys {
		if k.arn == u.ARN {
			members = append(members, k.xml(""))
		}
	}
	return struct {
		Keys        []xmlSSHKey `xml:"SSHPublicKeys>member"`
		IsTruncated bool        `xml:"IsTruncated"`
	}{Keys: members}, nil
}

func (s *Server) iamGetSSHPublicKey(c *caller, form url.Values) (any, *apiError) {
	var enc string
	return sshKeys.act(s, c, form, func() *apiError {
		var aerr *apiError
		if enc, aerr = requireParam(form, "Encoding", "encoding"); aerr != nil {
			return aerr
		}
		if enc != "SSH" && enc != "PEM" {
			return iamValidation(fmt.Sprintf("1 validation error detected: Value '%s' at 'encoding' failed to satisfy constraint: Member must satisfy enum value set: [SSH, PEM]", enc))
		}
		return nil
	}, func(_ *[]*sshKey, k *sshKey, _ int) any {
		return struct {
			Key xmlSSHKey `xml:"SSHPublicKey"`
		}{k.xml(enc)}
	})
}

type xmlServiceCred struct {
	CreateDate                  string `xml:"CreateDate"`
	ServiceName                 string `xml:"ServiceName"`
	ServiceUserName             string `xml:"ServiceUserName"`
	ServicePassword             string `xml:"ServicePassword,omitempty"`
	ServiceSpecificCredentialID string `xml:"ServiceSpecificCredentialId"`
	UserName                    string `xml:"UserName"`
	Status                      string `xml:"Status"`
}

func (sc *serviceCred) xml(withPassword bool) xmlServiceCred {
	x := xmlServiceCred{CreateDate: iamTime(sc.created), ServiceName: sc.service, ServiceUserName: sc.serviceUser,
		ServiceSpecificCredentialID: sc.id, UserName: sc.user, Status: sc.status}
	if withPassword {
		x.ServicePassword = sc.password
	}
	return x
}

func newServicePassword() string {
	b := make([]byte, 33)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.StdEncoding.EncodeToString(b)
}

func (s *Server) iamCreateServiceSpecificCredential(c *caller, form url.Values) (any, *apiError) {
	u, aerr := s.iamUser(c, form, true)
	if aerr != nil {
		return nil, aerr
	}
	svc, aerr := requireParam(form, "ServiceName", "serviceName")
	if aerr != nil {
		return nil, aerr
	}
	if !iamServices[svc] {
		return nil, iamErr(http.StatusNotFound, "NotSupportedService", "No such service "+svc+" is supported for Service-Specific Credentials")
	}
	st := &s.iam
	st.mu.Lock()
	defer st.mu.Unlock()
	taken := map[string]bool{}
	for _, sc := range st.creds {
		if sc.arn == u.ARN && sc.service == svc {
			taken[sc.serviceUser] = true
		}
	}
	if len(taken) >= maxServiceCredsPerSvc {
		return nil, iamErr(http.StatusConflict, "LimitExceeded", fmt.Sprintf("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: %d", maxServiceCredsPerSvc))
	}
	user := u.Name + "-at-" + u.Account
	for i := 1; taken[user]; i++ {
		user = fmt.Sprintf("%s+%d-at-%s", u.Name, i, u.Account)
	}
	sc := &serviceCred{iamEntry: iamEntry{id: "ACCA" + randomUpperAlnum(16), user: u.Name, account: u.Account, arn: u.ARN, status: "Active"},
		service: svc, serviceUser: user, password: newServicePassword(), created: s.now()}
	st.creds = append(st.creds, sc)
	return struct {
		Cred xmlServiceCred `xml:"ServiceSpecificCredential"`
	}{sc.xml(true)}, nil
}

func (s *Server) iamListServiceSpecificCredentials(c *caller, form url.Values) (any, *apiError) {
	u, aerr := s.iamUser(c, form, false)
	if aerr != nil {
		return nil, aerr
	}
	svc := form.Get("ServiceName")
	if svc != "" && !iamServices[svc] {
		return nil, iamErr(http.StatusNotFound, "NotSupportedService", "No such service "+svc+" is supported for Service-Specific Credentials")
	}
	st := &s.iam
	st.mu.Lock()
	defer st.mu.Unlock()
	var members []xmlServiceCred
	for _, sc := range st.creds {
		if sc.arn == u.ARN && (svc == "" || sc.service == svc) {
			members = append(members, sc.xml(false))
		}
	}
	return struct {
		Creds []xmlServiceCred `xml:"ServiceSpecificCredentials>member"`
	}{members}, nil
}

func (s *Server) iamResetServiceSpecificCredential(c *caller, form url.Values) (any, *apiError) {
	return serviceCreds.act(s, c, form, nil, func(_ *[]*serviceCred, sc *serviceCred, _ int) any {
		sc.password = newServicePassword()
		return struct {
			Cred xmlServiceCred `xml:"ServiceSpecificCredential"`
		}{sc.xml(true)}
	})
}

// authServiceCredential checks a Basic-auth pair against the Active
// service-specific credentials for CodeCommit. ok is false when user is not
// a Git credential user name at all (NAME-at-ACCOUNT), so SigV4 applies.
func (s *Server) authServiceCredential(user, pass string) (c *caller, reason string, ok bool) {
	if !gitCredentialUserRe.MatchString(user) {
		return nil, "", false
	}
	st := &s.iam
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, sc := range st.creds {
		if sc.service != CodeCommitService || sc.serviceUser != user {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(sc.password), []byte(pass)) != 1 {
			return nil, "the password of Git credential " + user + " is not valid (reset or mistyped)", true
		}
		if sc.status != "Active" {
			return nil, "Git credential " + user + " is " + sc.status, true
		}
		return &caller{key: sc.id, arn: sc.arn, account: sc.account}, "", true
	}
	return nil, "unknown Git credential user " + user + " (deleted, or never created)", true
}

var gitCredentialUserRe = regexp.MustCompile(`^[\w+=,.@-]{1,64}-at-\d{12}$`)

// activeSSHKey returns the caller of an Active SSH key id whose public key
// is pub, or a reason.
func (s *Server) activeSSHKey(id string, pub ssh.PublicKey) (*caller, string) {
	st := &s.iam
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, k := range st.sshKeys {
		if k.id != id {
			continue
		}
		if k.status != "Active" {
			return nil, "SSH key " + id + " is " + k.status
		}
		if string(k.pub.Marshal()) != string(pub.Marshal()) {
			return nil, "the offered key is not SSH key " + id
		}
		return &caller{key: id, arn: k.arn, account: k.account}, ""
	}
	return nil, "no SSH key " + id
}
