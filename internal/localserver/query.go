package localserver

// The AWS query protocol IAM and STS answer in: form-encoded requests, XML
// responses in the service's namespace, each with a request id.

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// queryResult writes a successful query-protocol response to action: the
// <ActionResponse> envelope in namespace ns around result (XML ending in a
// newline, or empty) and the response metadata.
func queryResult(w http.ResponseWriter, ns, action, result string) {
	reqID := newUUID()
	var b strings.Builder
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, "<%sResponse xmlns=%q>\n", action, ns)
	b.WriteString(result)
	fmt.Fprintf(&b, "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>\n</%sResponse>\n", reqID, action)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", reqID)
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, b.String())
}

// queryError writes e as a query-protocol error response in namespace ns
// (Sender, or Receiver for a 5xx status) and records it as the request's
// reason.
func queryError(w http.ResponseWriter, info *reqInfo, ns string, e *apiError) {
	info.reason = e.code + ": " + e.message
	typ := "Sender"
	if e.status >= 500 {
		typ = "Receiver"
	}
	reqID := newUUID()
	var msg strings.Builder
	xml.EscapeText(&msg, []byte(e.message))
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", reqID)
	w.WriteHeader(e.status)
	fmt.Fprintf(w, "%s<ErrorResponse xmlns=%q>\n  <Error>\n    <Type>%s</Type>\n    <Code>%s</Code>\n    <Message>%s</Message>\n  </Error>\n  <RequestId>%s</RequestId>\n</ErrorResponse>\n",
		xml.Header, ns, typ, e.code, msg.String(), reqID)
}
