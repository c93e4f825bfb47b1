// Package problemdoc builds the RFC 9457 problem document that the HTTP API answers
// with and the S3 job writes beside its outputs. Both carry the same problem list the
// CLI prints, so a client handles every edge with one parser.
package problemdoc

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"gongwen/internal/report"
)

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// typePrefix makes a stable, absolute type URI from a slug. A URN because the service
// has no public documentation host; clients compare the string, they do not fetch it.
const typePrefix = "urn:gongwen:problem:"

// Slugs of the problem types.
const (
	Malformed        = "malformed-json"
	TooLarge         = "too-large"
	InvalidReport    = "invalid-report"
	UnsupportedMedia = "unsupported-media-type"
	UnknownFormat    = "unknown-format"
	NotFound         = "not-found"
	MethodNotAllowed = "method-not-allowed"
	OutputTooLarge   = "output-too-large"
	StorageFailed    = "storage-failed"
	InternalError    = "internal-error"
	Busy             = "busy"             // 503: every render slot and the queue are taken
	Cancelled        = "cancelled"        // 499: the client went away or the deadline passed
	BadRequestBody   = "bad-request-body" // 400: the body could not be read
)

// titles are the fixed, human-readable summaries of each type (Chinese first, as in
// every message the service prints).
var titles = map[string]string{
	Malformed:        "请求内容不是合法的 JSON。The input is not well-formed JSON.",
	TooLarge:         "输入过大。The input is too large.",
	InvalidReport:    "报告内容不符合要求。The report is invalid.",
	UnsupportedMedia: "请求内容类型不是 JSON。The request body is not JSON.",
	UnknownFormat:    "不支持的输出格式。Unknown output format.",
	NotFound:         "没有这个地址。No such resource.",
	MethodNotAllowed: "此地址不支持该请求方法。Method not allowed here.",
	OutputTooLarge:   "生成的文件过大，无法直接返回。The rendered output is too large to return directly.",
	StorageFailed:    "暂时无法保存生成的文件，请稍后重试。The rendered output could not be stored; try again later.",
	InternalError:    "服务内部错误。Internal error.",
	Busy:             "服务繁忙，请稍后重试。The service is busy; try again later.",
	Cancelled:        "请求已取消。The request was cancelled.",
	BadRequestBody:   "无法读取请求内容。The request body could not be read.",
}

// Document is an RFC 9457 problem document with the service's extension members.
type Document struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"requestId,omitempty"`
	// Problems is every problem found, as the CLI prints them; never null.
	Problems []report.Problem `json:"problems"`
	// Warnings is what the service changed in an input it could read.
	Warnings []report.Problem `json:"warnings,omitempty"`
}

// New returns a document of the type slug.
func New(status int, slug, detail string) *Document {
	title := titles[slug]
	if title == "" {
		title = http.StatusText(status)
	}
	return &Document{Type: typePrefix + slug, Title: title, Status: status, Detail: detail,
		Problems: []report.Problem{}}
}

// StatusOf is the HTTP status of an invalid input.
func StatusOf(inv *report.InvalidError) int {
	switch inv.Kind {
	case report.KindMalformed:
		return http.StatusBadRequest
	case report.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusUnprocessableEntity
}

// FromInvalid describes an invalid input with every problem it has, and the
// warnings found before them.
func FromInvalid(inv *report.InvalidError) *Document {
	status := StatusOf(inv)
	slug := InvalidReport
	switch status {
	case http.StatusBadRequest:
		slug = Malformed
	case http.StatusRequestEntityTooLarge:
		slug = TooLarge
	}
	d := New(status, slug, detailOf(inv))
	if len(inv.Problems) > 0 {
		d.Problems = inv.Problems
	}
	d.Warnings = inv.Warnings
	return d
}

// AsInvalid reports whether err is (or wraps) an invalid-input error.
func AsInvalid(err error) (*report.InvalidError, bool) {
	var inv *report.InvalidError
	ok := errors.As(err, &inv)
	return inv, ok
}

func detailOf(inv *report.InvalidError) string {
	switch n := len(inv.Problems); n {
	case 0:
		return ""
	case 1:
		return inv.Problems[0].Message
	default:
		return "发现 " + itoa(n) + " 个问题，见 problems。" + itoa(n) + " problems found; see problems."
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// JSON encodes the document (indented: people read these in S3 consoles and curl).
func (d *Document) JSON() []byte {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		// Only strings and ints: cannot happen; still answer with a valid document.
		return []byte(`{"type":"` + typePrefix + InternalError + `","status":500,"problems":[]}` + "\n")
	}
	return append(b, '\n')
}
