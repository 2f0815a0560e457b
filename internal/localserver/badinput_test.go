package localserver

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestBadInputDoesNotBreakServer(t *testing.T) {
	ts := start(t, Config{})
	c := ts.httpClient()
	type req struct {
		method, path, body string
		hdr                map[string]string
		status             int
		contains           string
	}
	for _, r := range []req{
		{"GET", "/nowhere", "", nil, 404, "not found"},
		{"GET", "/v1/repos/", "", nil, 400, "invalid repository name"},
		{"GET", "/v1/repos/..", "", nil, 400, "invalid repository name"},
		{"GET", "/v1/repos/" + strings.Repeat("a", 101) + "/info/refs", "", nil, 400, "invalid repository name"},
		{"GET", "/v1/repos/x/info/refs", "", map[string]string{"Authorization": "Basic !!!"}, 401, "unauthorized"},
		{"GET", "/v1/repos/x/info/refs", "", map[string]string{"Authorization": "Bearer abc"}, 401, "unauthorized"},
		{"POST", "/", "Action=GetCallerIdentity&Version=2011-06-15", nil, 403, "MissingAuthenticationToken"},
		{"POST", "/", "Action=GetCallerIdentity", map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=x"}, 400, "IncompleteSignature"},
		{"POST", "/", "Action=GetCallerIdentity", map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=AKIA/20200101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00"}, 400, "X-Amz-Date"},
		{"POST", "/", "Action=GetCallerIdentity", map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=AKIA/20200101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00"}, 403, "correct service"},
		{"POST", "/", "Action=Nope", map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAX/20200101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00", "X-Amz-Date": "20200101T000000Z"}, 403, "InvalidClientTokenId"},
		{"POST", "/", "%zz", nil, 400, "MalformedInput"},
		{"POST", "/", "", nil, 400, "MissingAction"},
		{"POST", "/", "{", map[string]string{"X-Amz-Target": "CodeCommit_20150413.GetRepository"}, 403, "MissingAuthenticationTokenException"},
		{"POST", "/", "{", map[string]string{"X-Amz-Target": "Other.Op"}, 400, "UnknownOperationException"},
		{"PUT", "/", "", nil, 405, "method not allowed"},
	} {
		hr, err := http.NewRequest(r.method, ts.URL()+r.path, strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		if r.method == "POST" && r.hdr["X-Amz-Target"] == "" {
			hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for k, v := range r.hdr {
			hr.Header.Set(k, v)
		}
		resp, err := c.Do(hr)
		if err != nil {
			t.Fatalf("%s %s: %v", r.method, r.path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != r.status || !strings.Contains(string(b), r.contains) {
			t.Errorf("%s %s %q: %d %q; want %d containing %q", r.method, r.path, r.body, resp.StatusCode, b, r.status, r.contains)
		}
		if d, err := http.ParseTime(resp.Header.Get("Date")); err != nil || time.Since(d) > time.Minute {
			t.Errorf("%s %s: Date header %q", r.method, r.path, resp.Header.Get("Date"))
		}
	}

	// The Date header follows the skewed clock.
	ts.Faults().SetClockSkew(-2 * time.Hour)
	resp, err := c.Get(ts.URL() + "/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	d, _ := http.ParseTime(resp.Header.Get("Date"))
	if off := time.Since(d); off < 119*time.Minute || off > 121*time.Minute {
		t.Errorf("skewed Date header off by %v", off)
	}
}
