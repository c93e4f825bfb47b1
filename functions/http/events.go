package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"gongwen/internal/httpapi"
)

type handler struct {
	api   *httpapi.API
	plain bool // answer binary bodies as a struct for lambda-go to encode (tests compare)
}

// errUnsupportedEvent answers an invocation that is not an HTTP event (for example a
// direct `aws lambda invoke` with a report): the caller learns what went wrong from
// the invocation error.
// deadlineMargin is the time kept before the invocation's deadline to answer.
const deadlineMargin = 250 * time.Millisecond

var errUnsupportedEvent = errors.New("unsupported event: want an API Gateway (payload 1.0 or 2.0) or function URL event")

// invoke answers one event in the shape it came in: payload 2.0 (HTTP API and
// function URLs, which share it) or payload 1.0 (REST API, HTTP API with 1.0).
func (h *handler) invoke(ctx context.Context, raw json.RawMessage) (any, error) {
	if d, ok := ctx.Deadline(); ok {
		// Stop rendering shortly before Lambda's deadline, so that the answer (a 499
		// problem document) and its log line leave before the runtime stops the
		// function.
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-deadlineMargin))
		defer cancel()
	}
	var probe struct {
		Version    string `json:"version"`
		HTTPMethod string `json:"httpMethod"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, errUnsupportedEvent
	}
	switch {
	case probe.Version == "2.0":
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, errUnsupportedEvent
		}
		r := h.api.Serve(ctx, fromV2(ctx, &ev))
		if h.plain || !r.Binary {
			return toV2(r), nil
		}
		head := toV2(&httpapi.Response{Status: r.Status, Header: r.Header, Binary: true})
		return spliceBody(head, r.Body)
	case probe.HTTPMethod != "":
		var ev events.APIGatewayProxyRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, errUnsupportedEvent
		}
		r := h.api.Serve(ctx, fromV1(ctx, &ev))
		if h.plain || !r.Binary {
			return toV1(r), nil
		}
		head := toV1(&httpapi.Response{Status: r.Status, Header: r.Header, Binary: true})
		return spliceBody(head, r.Body)
	}
	return nil, errUnsupportedEvent
}

func fromV2(ctx context.Context, ev *events.APIGatewayV2HTTPRequest) *httpapi.Request {
	rc := ev.RequestContext
	via := "apigw-v2"
	if strings.Contains(rc.DomainName, ".lambda-url.") {
		via = "function-url"
	}
	query, err := url.ParseQuery(ev.RawQueryString)
	if err != nil || (len(query) == 0 && len(ev.QueryStringParameters) > 0) {
		query = url.Values{}
		for k, v := range ev.QueryStringParameters {
			query.Set(k, v)
		}
	}
	header := http.Header{}
	for k, v := range ev.Headers {
		header.Set(k, v)
	}
	return &httpapi.Request{
		Method:    rc.HTTP.Method,
		Path:      stripStage(ev.RawPath, rc.Stage),
		Query:     query,
		Header:    header,
		Body:      body(ev.Body, ev.IsBase64Encoded),
		RequestID: requestID(ctx, rc.RequestID),
		Via:       via,
	}
}

func fromV1(ctx context.Context, ev *events.APIGatewayProxyRequest) *httpapi.Request {
	query := url.Values{}
	for k, v := range ev.QueryStringParameters {
		query.Set(k, v)
	}
	for k, vs := range ev.MultiValueQueryStringParameters {
		query[k] = vs
	}
	header := http.Header{}
	for k, v := range ev.Headers {
		header.Set(k, v)
	}
	for k, vs := range ev.MultiValueHeaders {
		header[http.CanonicalHeaderKey(k)] = vs
	}
	return &httpapi.Request{
		Method:    ev.HTTPMethod,
		Path:      stripStage(ev.Path, ev.RequestContext.Stage),
		Query:     query,
		Header:    header,
		Body:      body(ev.Body, ev.IsBase64Encoded),
		RequestID: requestID(ctx, ev.RequestContext.RequestID),
		Via:       "apigw-v1",
	}
}

// stripStage removes a named stage from the front of a path: an HTTP API's rawPath is
// "/prod/render" on stage "prod" ("$default" adds nothing; a REST API's path never
// has it, but a custom domain's may).
func stripStage(path, stage string) string {
	if stage == "" || stage == "$default" {
		return path
	}
	p := "/" + stage
	if path == p {
		return "/"
	}
	if strings.HasPrefix(path, p+"/") {
		return path[len(p):]
	}
	return path
}

// body decodes a body API Gateway base64-encoded (binary content types, and every
// body of a function URL that is not text). One that does not decode is passed on
// as it is: not being JSON, it is answered as malformed input.
func body(s string, b64 bool) []byte {
	if !b64 {
		return []byte(s)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return []byte(s)
	}
	return b
}

// requestID is Lambda's id for the invocation (what CloudWatch shows), else the API
// Gateway's.
func requestID(ctx context.Context, fallback string) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		return lc.AwsRequestID
	}
	return fallback
}

func flatHeaders(h http.Header) map[string]string {
	m := make(map[string]string, len(h))
	for k, vs := range h {
		m[k] = strings.Join(vs, ", ")
	}
	return m
}

func encodeBody(r *httpapi.Response) (string, bool) {
	if r.Binary {
		return base64.StdEncoding.EncodeToString(r.Body), true
	}
	return string(r.Body), false
}

func toV2(r *httpapi.Response) events.APIGatewayV2HTTPResponse {
	b, b64 := encodeBody(r)
	return events.APIGatewayV2HTTPResponse{StatusCode: r.Status, Headers: flatHeaders(r.Header), Body: b, IsBase64Encoded: b64}
}

func toV1(r *httpapi.Response) events.APIGatewayProxyResponse {
	b, b64 := encodeBody(r)
	return events.APIGatewayProxyResponse{StatusCode: r.Status, Headers: flatHeaders(r.Header), Body: b, IsBase64Encoded: b64}
}

// bodyField is the empty body as encoding/json writes it. It is the last key of the
// response object but for isBase64Encoded and cookies (no objects follow it), so the
// last occurrence is the field, not a header.
var bodyField = []byte(`"body":""`)

// spliceBody encodes head (a response whose Body is empty) as lambda-go does (no HTML
// escaping, no trailing newline) and writes body's base64 into its body field. A PDF
// answer is some 190 KB of base64; having encoding/json copy it into a string and then
// scan it for characters to escape (base64 has none) cost about 0.85 ms an
// invocation. The bytes are those lambda-go makes of the whole response
// (TestSplicedResponse).
func spliceBody(head any, body []byte) (any, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(head); err != nil {
		return nil, fmt.Errorf("encode response: %w", err)
	}
	h := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	i := bytes.LastIndex(h, bodyField)
	if i < 0 {
		return nil, errors.New("encode response: no body field")
	}
	at := i + len(bodyField) - 1 // before the closing quote
	out := make([]byte, 0, len(h)+base64.StdEncoding.EncodedLen(len(body)))
	out = append(out, h[:at]...)
	out = base64.StdEncoding.AppendEncode(out, body)
	out = append(out, h[at:]...)
	// An io.Reader whose own JSON is {} (a *bytes.Buffer) is sent by lambda-go as it
	// is (handler.go: "if response value is an io.Reader, return it as-is").
	return bytes.NewBuffer(out), nil
}
